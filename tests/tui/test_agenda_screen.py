"""Screen 8, the agenda: groups, enter opens the record, m marks, o filters, a acknowledges."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from kpotui.services import agenda, audit, records
from kpotui.store import open_store
from kpotui.tui.app import KpoApp
from kpotui.tui.dialogs.mark_deliverable import MarkDeliverable
from kpotui.tui.dialogs.pick_person import PickPerson
from kpotui.tui.screens.agenda import AgendaScreen
from kpotui.tui.screens.record_detail import RecordDetailScreen
from kpotui.tui.widgets.panel_table import PanelTable
from tests.tui.conftest import settle
from tests.tui.sample_firm import REFERENCE_DATE

TODAY = date.fromisoformat(REFERENCE_DATE)


def expected(firm_db: Path, owner: str | None = None) -> list[agenda.Item]:
    store = open_store(str(firm_db))
    try:
        return agenda.agenda(store, TODAY, owner=owner)
    finally:
        store.close()


def row_keys(app: KpoApp) -> list[str]:
    table = app.screen.query_one(PanelTable)
    return [
        str(table.coordinate_to_cell_key((row, 0)).row_key.value) for row in range(table.row_count)
    ]


async def open_agenda(pilot: Pilot[None], app: KpoApp) -> PanelTable:
    await pilot.press("8")
    await settle(pilot)
    assert isinstance(app.screen, AgendaScreen)
    return app.screen.query_one(PanelTable)


async def cursor_to(pilot: Pilot[None], app: KpoApp, key: str) -> None:
    table = app.screen.query_one(PanelTable)
    table.move_cursor(row=row_keys(app).index(key))
    await settle(pilot)


async def test_the_agenda_lists_the_services_items_under_their_groups(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    items = expected(firm_db)
    assert items, "the sample firm has something on its agenda"
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_agenda(pilot, app)
        keys = row_keys(app)
        assert [k for k in keys if not k.startswith("group:")] == [i.id for i in items]
        groups = [k.removeprefix("group:") for k in keys if k.startswith("group:")]
        assert groups == [g for g in agenda.GROUPS if any(i.group(TODAY) == g for i in items)]
        overdue = sum(1 for i in items if i.day < TODAY)
        status = str(app.screen.query_one("#agenda-status", Static).render())
        assert status.startswith(f"{len(items)} items, {overdue} overdue")


async def test_enter_opens_the_record_of_the_item(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    item = expected(firm_db)[0]
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_agenda(pilot, app)
        await cursor_to(pilot, app, item.id)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordDetailScreen)
        assert item.record_key in str(app.screen.query_one(".detail-title", Static).render())


async def test_m_marks_a_deliverable_and_the_agenda_follows(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    item = next(i for i in expected(firm_db) if i.kind == "deliverable-due")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_agenda(pilot, app)
        await cursor_to(pilot, app, item.id)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MarkDeliverable)
        await pilot.press("c")  # cancelled: no longer owed
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)
        assert item.id not in row_keys(app)
    store = open_store(str(firm_db))
    assert records.get(store, "deliverable", item.record_id)["status"] == "cancelled"
    store.close()


async def test_o_shows_one_persons_items(make_app: Callable[..., KpoApp], firm_db: Path) -> None:
    everyone = expected(firm_db)
    people = agenda.responsible_people(everyone)
    person = people[-1]
    theirs = expected(firm_db, owner=person)
    assert 0 < len(theirs) < len(everyone)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_agenda(pilot, app)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, PickPerson)
        await pilot.press("end", "enter")
        await settle(pilot)
        assert [k for k in row_keys(app) if not k.startswith("group:")] == [i.id for i in theirs]
        assert f"responsible: {person}" in str(app.screen.query_one("#agenda-status").render())
        await pilot.press("o", "home", "enter")
        await settle(pilot)
        assert len([k for k in row_keys(app) if not k.startswith("group:")]) == len(everyone)


async def test_a_acknowledges_the_item_audited(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    item = expected(firm_db)[0]
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_agenda(pilot, app)
        await cursor_to(pilot, app, item.id)
        await pilot.press("a")
        await settle(pilot)
        assert item.id not in row_keys(app)
    assert item.id not in [i.id for i in expected(firm_db)]
    store = open_store(str(firm_db))
    event = audit.recent(store, limit=1)[0]
    store.close()
    assert (event["kind"], event["key"]) == ("agenda", item.id)


async def test_the_dashboards_top_line_counts_the_agenda_and_a_opens_it(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    items = expected(firm_db)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        headline = str(app.screen.query_one("#headline", Static).render())
        assert headline.startswith(f"agenda: {len(items)} items")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)
