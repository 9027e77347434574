"""The change marker: cheap to read, moved by every write of anyone, and the events since
it tell a store's own writes from another session's."""

from __future__ import annotations

from sqlalchemy import event

from kpotui.services import changes, settings, writes
from kpotui.store import Store, open_store
from tests.services import factories


def test_the_marker_moves_with_every_write_and_only_then(store: Store) -> None:
    empty = changes.marker(store)
    assert empty == changes.Marker(0, 0)
    provider = factories.provider(store)
    created = changes.marker(store)
    assert created.event_id > empty.event_id
    assert changes.marker(store) == created  # a read moves nothing
    writes.update(store, "provider", provider["id"], {"country": "Poland"}, version=1)
    updated = changes.marker(store)
    assert updated.event_id > created.event_id
    settings.set_value(store, "currency", "USD")
    assert changes.marker(store).settings == 1
    settings.set_value(store, "currency", "GBP")
    assert changes.marker(store).settings == 2


def test_the_marker_is_one_query(store: Store) -> None:
    factories.provider(store)
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        changes.marker(store)
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    assert len(statements) == 1


def test_events_after_a_marker_are_the_newer_ones_oldest_first(store: Store) -> None:
    first = factories.provider(store, "Alpha")
    seen = changes.marker(store)
    second = factories.provider(store, "Beta")
    writes.delete(store, "provider", first["id"], version=1)
    events = changes.events_after(store, seen.event_id, limit=10)
    assert [(e["action"], e["record_id"]) for e in events] == [
        ("create", second["id"]),
        ("delete", first["id"]),
    ]
    assert changes.events_after(store, seen.event_id, limit=1) == events[:1]


def test_own_writes_are_told_from_another_stores_by_the_same_account(
    store: Store, db_url: str
) -> None:
    other = open_store(db_url)
    try:
        seen = changes.marker(store)
        factories.provider(store, "Mine")
        factories.provider(other, "Theirs")
        events = changes.events_after(store, seen.event_id, limit=10)
        assert [changes.written_here(store, e) for e in events] == [True, False]
        assert [changes.written_here(other, e) for e in events] == [False, True]
    finally:
        other.close()
