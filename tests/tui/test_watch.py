"""What one look for other sessions' changes finds, and how it says so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kpotui.services import changes, listing, writes
from kpotui.store import Store, open_store
from kpotui.tui import watch
from kpotui.tui.database import AppDatabase
from kpotui.tui.messages import RecordsChanged
from kpotui.tui.watch import Watcher


@pytest.fixture
def database(firm_db: Path) -> Iterator[AppDatabase]:
    opened = AppDatabase(str(firm_db), read_only=False)
    opened.store()
    yield opened
    opened.close()


@pytest.fixture
def other(firm_db: Path) -> Iterator[Store]:
    store = open_store(str(firm_db))
    yield store
    store.close()


def add_providers(store: Store, *names: str) -> None:
    for name in names:
        writes.create(store, "provider", {"name": name, "country": "India"})


def test_changes_by_two_people_name_both(database: AppDatabase, other: Store, as_user: Any) -> None:
    watcher = Watcher(database)
    with as_user("ana"):
        add_providers(other, "Alpha Data")
    with as_user("bo"):
        add_providers(other, "Beta Data")
    noticed = watcher.check()
    assert noticed is not None
    assert noticed.notice == "ana and bo changed 2 records"
    assert noticed.change.kinds == {"provider"} and len(noticed.change.ids) == 2
    assert watcher.check() is None


def test_a_deletion_elsewhere_is_announced_as_one(
    database: AppDatabase, other: Store, as_user: Any
) -> None:
    with as_user("ana"):
        add_providers(other, "Gamma Data")
    watcher = Watcher(database)
    watcher.check()
    (provider,) = [
        p for p in listing.page(other, "provider", limit=100) if p["name"] == "Gamma Data"
    ]
    with as_user("ana"):
        writes.delete(other, "provider", provider["id"], version=provider["version"])
    noticed = watcher.check()
    assert noticed is not None and noticed.notice == "ana deleted provider Gamma Data"
    assert noticed.change.deleted == {("provider", provider["id"])}


def test_more_changes_than_are_read_refresh_everything(
    database: AppDatabase, other: Store, as_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watch, "EVENTS_READ", 2)
    watcher = Watcher(database)
    add_providers(database.store(), "Own 1", "Own 2", "Own 3")
    noticed = watcher.check()
    assert noticed == watch.Noticed(RecordsChanged(), None)  # own: refreshed, not told

    with as_user("ana"):
        add_providers(other, "Theirs 1", "Theirs 2", "Theirs 3")
    noticed = watcher.check()
    assert noticed == watch.Noticed(RecordsChanged(), "ana changed many records")


def test_an_audit_trail_gone_back_refreshes_everything(database: AppDatabase) -> None:
    watcher = Watcher(database)
    watcher.seen = changes.Marker(10**9, 0)  # as if the database had been put back from a copy
    noticed = watcher.check()
    assert noticed == watch.Noticed(RecordsChanged(), "The database was replaced; showing it again")
    assert watcher.check() is None
