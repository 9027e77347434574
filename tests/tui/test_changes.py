"""The Changes screen: the firm's audit trail, filtered, opening the records it names."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

import pytest
from textual.widgets import DataTable

from kpotui.services import listing, writes
from kpotui.store import open_store
from kpotui.tui.app import KpoApp
from kpotui.tui.messages import RecordsChanged, announce
from kpotui.tui.screens.changes import ChangesScreen
from kpotui.tui.screens.help import HelpScreen
from kpotui.tui.screens.record_detail import RecordDetailScreen
from kpotui.tui.widgets.filter_bar import FilterBar
from tests.tui.conftest import settle
from tests.tui.helpers import notices


class AsUser(Protocol):
    def __call__(self, name: str) -> AbstractContextManager[None]: ...


def first(db: Path, kind: str) -> dict[str, Any]:
    store = open_store(str(db))
    try:
        return listing.page(store, kind, limit=1)[0]
    finally:
        store.close()


@pytest.fixture
def changed(firm_db: Path, as_user: AsUser) -> Iterator[dict[str, dict[str, Any]]]:
    """Bea renames a provider and deletes a deliverable of the sample firm."""
    provider, deliverable = first(firm_db, "provider"), first(firm_db, "deliverable")
    store = open_store(str(firm_db))
    try:
        with as_user("bea"):
            writes.update(store, "provider", provider["id"], {"country": "Iceland"}, version=None)
            writes.delete(store, "deliverable", deliverable["id"], version=None)
    finally:
        store.close()
    yield {"provider": provider, "deliverable": deliverable}


def rows(app: KpoApp) -> list[list[str]]:
    table = app.screen.query_one("#changes", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_changes_are_offered_by_key_palette_and_help(
    make_app: Callable[..., KpoApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "app.changes" in {binding_id for _, _, binding_id in app.screen.keys}
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.press(*"changes across")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChangesScreen)
        assert len(rows(app)) > 10  # the sample firm's import
        await pilot.press("escape", "6", "c")  # from a list, its table focused
        await settle(pilot)
        assert isinstance(app.screen, ChangesScreen)


async def test_filter_and_open_the_records_named(
    make_app: Callable[..., KpoApp], changed: dict[str, dict[str, Any]]
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        await settle(pilot)
        newest = rows(app)[:2]
        assert [row[1:4] for row in newest] == [
            ["bea", "delete", "deliverable"],
            ["bea", "update", "provider"],
        ]
        assert newest[1][5].endswith("→ Iceland")

        bar = app.screen.query_one(FilterBar)
        bar.choose("actor", "bea")
        await settle(pilot)
        assert [row[2] for row in rows(app)] == ["delete", "update"]
        bar.choose("kind", "deliverable")
        await settle(pilot)
        assert [row[2] for row in rows(app)] == ["delete"]

        await pilot.press("enter")  # the deleted deliverable
        await settle(pilot)
        assert isinstance(app.screen, ChangesScreen)
        assert any("was deleted on" in notice for notice in notices(app))

        bar.choose("kind", "provider")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordDetailScreen)
        assert app.screen.record is not None
        assert app.screen.record["id"] == changed["provider"]["id"]


async def test_a_change_announced_shows_at_once(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        await settle(pilot)
        before = len(rows(app))
        provider = first(firm_db, "provider")
        store = open_store(str(firm_db))
        try:
            writes.update(store, "provider", provider["id"], {"country": "Chile"}, version=None)
        finally:
            store.close()
        announce(app.screen, RecordsChanged.of("provider", provider["id"]))
        await settle(pilot)
        assert len(rows(app)) == before + 1
        assert rows(app)[0][5].endswith("→ Chile")
