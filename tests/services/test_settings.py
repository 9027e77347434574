"""Firm settings: typed, validated, stored in the database, audited and undoable."""

from __future__ import annotations

import queue
import threading
import time
from typing import Any

import pytest
from sqlalchemy import insert, text, update

from kpotui.models import Setting, utcnow
from kpotui.services import audit, settings, undo
from kpotui.services.errors import ConflictError, NotFoundError, UndoError, ValidationError
from kpotui.store import Store


def events(store: Store) -> list[dict[str, Any]]:
    return [e for e in audit.recent(store, limit=1000) if e["kind"] == "setting"]


def test_unset_settings_give_their_typed_defaults(store: Store) -> None:
    assert settings.get(store, "currency") == "EUR"
    assert settings.get(store, settings.DUE_SOON_DAYS) == 14
    assert settings.get(store, "notice_warning_days") == 30
    assert settings.get(store, settings.SLA_MIN_DELIVERABLES) == 3
    listed = settings.list_settings(store)
    assert [s.key for s in listed] == list(settings.REGISTRY)
    assert [s.key for s in listed][:3] == ["currency", "due_soon_days", "notice_warning_days"]
    assert all(not s.is_set and s.version == 0 and s.updated_by is None for s in listed)


def test_a_set_value_is_typed_normalised_and_read_back_inside_a_transaction(
    store: Store,
) -> None:
    settings.set_value(store, "currency", " usd ")
    settings.set_value(store, "due_soon_days", "21")
    assert settings.get(store, "currency") == "USD"
    with store.read() as conn:
        assert settings.get(conn, settings.DUE_SOON_DAYS) == 21
    state = settings.load(store)["due_soon_days"]
    assert (state.is_set, state.version, state.updated_by) == (True, 1, audit.current_actor())


@pytest.mark.parametrize(
    ("key", "raw", "reason"),
    [
        ("currency", "XXXX", "'XXXX' is not an active ISO 4217 currency code"),
        ("currency", "ABC", "'ABC' is not an active ISO 4217 currency code"),
        ("currency", "HRK", "'HRK' is not an active ISO 4217 currency code"),  # withdrawn 2023
        ("currency", 978, "978 is not text"),
        ("due_soon_days", "0", "0 is out of range: a number of days from 1 to 365"),
        ("notice_warning_days", 366, "366 is out of range"),
        ("due_soon_days", "two weeks", "'two weeks' is not a whole number"),
        ("due_soon_days", True, "True is not a whole number"),
    ],
)
def test_a_bad_value_is_refused_with_its_reason_and_nothing_is_written(
    store: Store, key: str, raw: object, reason: str
) -> None:
    with pytest.raises(ValidationError, match=f"^{key}: {reason}"):
        settings.set_value(store, key, raw)
    assert not settings.load(store)[key].is_set
    assert events(store) == []


def test_the_currency_list_is_the_active_iso_4217_codes() -> None:
    codes = settings.currency_codes()
    assert {"EUR", "USD", "JPY", "CHF", "XCG", "ZWG"} <= codes.keys()
    assert not {"HRK", "BGN", "ZWL", "XXX", "XTS"} & codes.keys()
    assert codes["EUR"] == "Euro" and len(codes) > 150


def test_an_unknown_key_names_the_closest_one(store: Store) -> None:
    with pytest.raises(
        NotFoundError, match=r"unknown firm setting 'curency' \(did you mean 'currency'\?\)"
    ):
        settings.get(store, "curency")
    with pytest.raises(NotFoundError, match=r"known: currency, due_soon_days"):
        settings.set_value(store, "zzz", "1")


def test_set_and_reset_are_audited(store: Store, as_user: Any) -> None:
    with as_user("ann"):
        settings.set_value(store, "currency", "GBP")
        settings.set_value(store, "currency", "USD")
        settings.set_value(store, "currency", "USD")  # no change: no event
        settings.reset(store, "currency")
        settings.reset(store, "currency")  # already the default: no event
    written = events(store)[::-1]
    assert [(e["actor"], e["action"], e["key"]) for e in written] == [
        ("ann", "update", "currency")
    ] * 3
    assert [e["changes"] for e in written] == [
        {"value": [None, "GBP"]},
        {"value": ["GBP", "USD"]},
        {"value": ["USD", None]},
    ]
    assert len({e["record_id"] for e in written}) == 1
    state = settings.load(store)["currency"]
    assert (state.value, state.is_set, state.version, state.updated_by) == ("EUR", False, 3, "ann")


def test_the_value_and_its_audit_event_are_one_transaction(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_append(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("audit failed")

    monkeypatch.setattr(audit, "append", failing_append)
    with pytest.raises(RuntimeError):
        settings.set_value(store, "currency", "USD")
    assert settings.get(store, "currency") == "EUR"


def test_a_stale_version_is_refused(store: Store, as_user: Any) -> None:
    read = settings.load(store)["currency"]
    with as_user("bea"):
        settings.set_value(store, "currency", "CHF", version=read.version)
    with pytest.raises(ConflictError, match=r"changed by someone else \(version 1, you read 0\)"):
        settings.set_value(store, "currency", "USD", version=read.version)
    with pytest.raises(ConflictError):
        settings.reset(store, "currency", version=read.version)
    assert settings.get(store, "currency") == "CHF"
    assert settings.set_value(store, "currency", "USD", version=1).version == 2


def test_a_stored_value_that_no_longer_validates_is_a_clear_error(store: Store) -> None:
    with store.write() as conn:
        conn.execute(
            insert(Setting.__table__).values(  # type: ignore[attr-defined]
                key="currency", value="ABC", version=1, updated_at=utcnow(), updated_by="x"
            )
        )
    with pytest.raises(
        settings.StoredValueError,
        match=r"firm setting currency holds 'ABC', which is no longer valid \('ABC' is not",
    ):
        settings.get(store, "currency")
    listed = settings.load(store)["currency"]  # the list still shows it, with the problem
    assert listed.value == "ABC" and listed.problem is not None
    assert settings.get(store, "due_soon_days") == 14
    settings.reset(store, "currency")
    assert settings.get(store, "currency") == "EUR"


def test_undo_puts_the_old_value_back(store: Store) -> None:
    settings.set_value(store, "due_soon_days", 10)
    settings.set_value(store, "due_soon_days", 20)
    settings.reset(store, "due_soon_days")

    assert "update of setting 'due_soon_days' (value)" in undo.undo_last(store)
    assert settings.get(store, "due_soon_days") == 20
    undo.undo_last(store)
    assert settings.get(store, "due_soon_days") == 10
    undo.undo_last(store)
    assert not settings.load(store)["due_soon_days"].is_set
    newest = audit.recent(store, limit=1)[0]
    assert newest["batch"].startswith(audit.UNDO_PREFIX)
    assert newest["changes"] == {"value": [10, None]}


def test_undo_is_refused_when_someone_else_changed_the_setting_since(
    store: Store, as_user: Any
) -> None:
    settings.set_value(store, "currency", "USD")
    with as_user("bea"):
        settings.set_value(store, "currency", "CHF")
    with pytest.raises(UndoError, match="bea changed setting 'currency' since"):
        undo.undo_last(store)
    assert settings.get(store, "currency") == "CHF"


def waiting_on_the_key(store: Store) -> None:
    """Return once another session of this database waits for a lock (up to 10 s)."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE wait_event_type = 'Lock' AND datname = current_database()"
    )
    for _ in range(200):
        with store.read() as conn:
            if conn.execute(query).scalar_one():
                return
        time.sleep(0.05)
    raise AssertionError("the second writer never waited")


@pytest.mark.parametrize("already_set", [False, True], ids=["first-set", "change"])
def test_two_changes_at_the_same_moment_refuse_the_second(store: Store, already_set: bool) -> None:
    """PostgreSQL lets both writers read the same version; the second then waits for the
    first's row (or key) and is refused as a conflict, not saved over it. SQLite's
    BEGIN IMMEDIATE queues the whole write, so the second reads the first's version."""
    if store.dialect != "postgresql":
        pytest.skip("SQLite queues writers before they read")
    if already_set:
        settings.set_value(store, "currency", "GBP")
    read = settings.load(store)["currency"].version
    before = len(events(store))
    started, outcome = threading.Event(), queue.Queue[BaseException | None]()

    def second() -> None:
        started.wait(10)
        try:
            settings.set_value(store, "currency", "USD", version=read)
        except BaseException as exc:  # handed to the test thread
            outcome.put(exc)
        else:
            outcome.put(None)

    worker = threading.Thread(target=second)
    worker.start()
    table = Setting.__table__  # type: ignore[attr-defined]
    with store.write() as conn:
        if already_set:
            conn.execute(update(table).values(value="CHF", version=table.c.version + 1))
        else:
            conn.execute(
                insert(table).values(
                    key="currency", value="CHF", version=1, updated_at=utcnow(), updated_by="bea"
                )
            )
        started.set()
        waiting_on_the_key(store)  # the second writer has read the old version and waits
    worker.join(10)
    error = outcome.get(timeout=1)
    assert isinstance(error, ConflictError), error
    assert "changed by someone else at the same time" in str(error)
    assert settings.get(store, "currency") == "CHF"
    assert len(events(store)) == before
