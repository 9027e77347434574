"""A save that meets another writer's lock says it waits, and ends in a plain sentence
with the form and what was typed still there."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kpotui.services import records
from kpotui.store import engine, open_store
from kpotui.tui.app import KpoApp
from kpotui.tui.dialogs.record_form import RecordForm
from tests.tui.conftest import settle
from tests.tui.helpers import notices, showing

WAITING = "Saving: waiting for another writer…"


@pytest.fixture
def other_writer(firm_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sqlite3.Connection]:
    """A connection that takes the write lock with ``BEGIN IMMEDIATE``, as another user's
    save does; the app's stores give up after 2.5 s instead of 30."""
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 2_500)
    holder = sqlite3.connect(firm_db, isolation_level=None, check_same_thread=False)
    yield holder
    if holder.in_transaction:
        holder.rollback()
    holder.close()


async def until_waiting_is_shown(app: KpoApp) -> None:
    for _ in range(200):
        if WAITING in notices(app):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("no waiting notice")


def provider(db: Path, name: str) -> dict[str, object] | None:
    store = open_store(str(db))
    try:
        return records.find(store, "provider", {"name": name})
    finally:
        store.close()


async def test_a_save_waits_for_another_writer_and_says_so(
    make_app: Callable[..., KpoApp], firm_db: Path, other_writer: sqlite3.Connection
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6", "n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        await pilot.press(*"Kraków Data")

        other_writer.execute("BEGIN IMMEDIATE")
        await pilot.press("ctrl+s")
        await asyncio.sleep(0.5)
        await pilot.pause()
        assert WAITING not in notices(app)  # a short wait goes unmentioned
        await until_waiting_is_shown(app)
        await settle(pilot)
        shown = notices(app)
        assert "Not done: the database is busy; nothing was changed" in shown
        assert not any("Error" in notice for notice in shown)
        assert WAITING not in showing(app)  # the wait is over: its notice is gone
        assert app.screen is form  # what was typed is still there, to save again
        assert provider(firm_db, "Kraków Data") is None

        await pilot.press("ctrl+s")
        await until_waiting_is_shown(app)
        other_writer.rollback()  # the other writer is done: the save goes through
        await settle(pilot)
        assert WAITING not in showing(app)
        assert not isinstance(app.screen, RecordForm)
        assert provider(firm_db, "Kraków Data") is not None
