"""Two sessions on one database: what another session saves shows here by itself, the
cursor where it was and a form's typed input kept, with a word on who changed what."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from kpotui.services import records, writes
from kpotui.store import Store, open_store
from kpotui.tui.app import KpoApp
from kpotui.tui.database import AppDatabase
from kpotui.tui.dialogs.conflict import ConflictDialog
from kpotui.tui.dialogs.record_form import RecordForm
from kpotui.tui.screens.contract_detail import ContractDetailScreen
from tests.tui.conftest import settle
from tests.tui.helpers import move_to, notices, table, type_in

CODE = "ENG-2024-011"
ELSEWHERE = "Changed elsewhere: "


@pytest.fixture
def other(firm_db: Path) -> Iterator[Store]:
    """Another session's store on the same file."""
    store = open_store(str(firm_db))
    yield store
    store.close()


def live_app(firm_db: Path) -> KpoApp:
    """The app with no timer: the tests look for changes when they choose."""
    return KpoApp(AppDatabase(str(firm_db), read_only=False), check_every=None)


def contract(store: Store, code: str = CODE) -> dict[str, Any]:
    found = records.find(store, "contract", {"code": code})
    assert found is not None
    return found


def rename(store: Store, title: str, code: str = CODE) -> None:
    record = contract(store, code)
    writes.update(store, "contract", record["id"], {"title": title}, version=record["version"])


def cell(app: KpoApp, column: str) -> str:
    shown = table(app)
    row = shown.current_row
    assert row is not None
    return row.cells[[c.key for c in shown.columns].index(column)]


def elsewhere(app: KpoApp) -> list[str]:
    return [n.removeprefix(ELSEWHERE) for n in notices(app) if n.startswith(ELSEWHERE)]


async def look(pilot: Pilot[None]) -> None:
    """What the timer does every two seconds, then wait for what it started."""
    app = pilot.app
    assert isinstance(app, KpoApp)
    app.check_for_changes()
    await settle(pilot)


async def on_contract(pilot: Pilot[None], code: str = CODE) -> None:
    await pilot.press("2")
    await settle(pilot)
    await move_to(pilot, "code", code)


async def test_another_sessions_save_shows_in_the_list_with_the_cursor_kept(
    firm_db: Path, other: Store, as_user: Any
) -> None:
    app = live_app(firm_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_contract(pilot)
        index, row = table(app).cursor_index, table(app).current_row
        await look(pilot)
        assert elsewhere(app) == []  # nothing changed yet

        with as_user("ana"):
            rename(other, "ESG screening, renamed by Ana")
        await look(pilot)
        assert cell(app, "title") == "ESG screening, renamed by Ana"
        assert table(app).cursor_index == index
        assert row is not None and table(app).current_row.id == row.id  # type: ignore[union-attr]
        assert elsewhere(app) == [f"ana updated contract {CODE}"]

        await look(pilot)  # seen once, told once
        assert len(elsewhere(app)) == 1


async def test_several_records_changed_elsewhere_are_counted(
    firm_db: Path, other: Store, as_user: Any
) -> None:
    app = live_app(firm_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_contract(pilot)
        with as_user("ana"):
            for code in (CODE, "ENG-2025-001", "ENG-2025-002"):
                rename(other, f"Renamed {code}", code)
        await look(pilot)
        assert elsewhere(app) == ["ana changed 3 records"]
        assert cell(app, "title") == f"Renamed {CODE}"


async def test_own_saves_are_not_told_as_changes_elsewhere(firm_db: Path) -> None:
    app = live_app(firm_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_contract(pilot)
        rename(app.database.store(), "Renamed here")  # this session's store: its own write
        await look(pilot)
        assert elsewhere(app) == []


async def test_a_change_elsewhere_keeps_what_an_open_form_holds(
    firm_db: Path, other: Store, as_user: Any
) -> None:
    app = live_app(firm_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_contract(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)
        await type_in(pilot, "title", "Typed, not saved")

        with as_user("ana"):
            record = contract(other)
            writes.update(
                other, "contract", record["id"], {"owner": "Ana"}, version=record["version"]
            )
        await look(pilot)
        assert isinstance(app.screen, RecordForm)
        assert app.screen.query_one("#field-title", Input).value == "Typed, not saved"
        assert elsewhere(app) == [f"ana updated contract {CODE}"]
        behind = app.screen_stack[-2]
        assert cell_of(behind, "owner") == "Ana"  # the list behind the form is refreshed


def cell_of(screen: Any, column: str) -> str:
    from kpotui.tui.widgets.virtual_table import VirtualTable

    shown = screen.query_one(VirtualTable)
    row = shown.current_row
    assert row is not None
    return str(row.cells[[c.key for c in shown.columns].index(column)])


async def test_reloading_theirs_after_a_conflict_refreshes_the_detail_screen(
    firm_db: Path, other: Store, as_user: Any
) -> None:
    app = live_app(firm_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_contract(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, ContractDetailScreen)
        await pilot.press("e")
        await settle(pilot)
        await type_in(pilot, "title", "Mine")
        with as_user("ana"):
            rename(other, "Theirs")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictDialog)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)
        title = str(detail.query_one(".detail-title", Static).render())
        assert " · Theirs · " in title


async def test_the_cursor_stays_on_its_record_when_another_session_moves_one_above(
    firm_db: Path, other: Store, as_user: Any
) -> None:
    app = live_app(firm_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_contract(pilot)
        index = table(app).cursor_index
        with as_user("ana"):
            later = contract(other, "ENG-2025-002")
            writes.update(
                other, "contract", later["id"], {"code": "ENG-2000-001"}, version=later["version"]
            )
        await look(pilot)
        assert cell(app, "code") == CODE
        assert table(app).cursor_index == index + 1
        assert elsewhere(app) == ["ana updated contract ENG-2000-001"]
