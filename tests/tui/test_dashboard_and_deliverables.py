"""Marking a deliverable accepted, and the dashboard's figures following; filtering and
moving through every deliverable."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

from textual import events

from kpotui.services import listing, records, writes
from kpotui.services.listing import ListFilter
from kpotui.store import open_store
from kpotui.tui.app import KpoApp
from kpotui.tui.dialogs.mark_deliverable import MarkDeliverable
from kpotui.tui.widgets.panel_table import PanelTable
from tests.tui.conftest import AT_SCALE, settle
from tests.tui.helpers import filter_by, table
from tests.tui.sample_firm import SAMPLE


def core_outsourced_in_sample() -> list[str]:
    with SAMPLE.open("rb") as handle:
        tasks = tomllib.load(handle)["tasks"]
    return [
        t["name"]
        for t in tasks
        if t["classification"] == "core" and t["sourcing"] in ("outsourced", "hybrid")
    ]


def overdue_title(app: KpoApp) -> str:
    return str(app.screen.query_one("#panel-overdue").border_title)


def quality_shown(app: KpoApp, provider: str) -> str:
    reliability = app.screen.query_one("#reliability", PanelTable)
    return str(reliability.get_row(f"provider:{provider}")[4])


@AT_SCALE
async def test_accepting_an_overdue_deliverable_moves_the_dashboard(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        overdue_before = int(overdue_title(app).split(": ")[1])

        await pilot.press("3")
        await settle(pilot)
        first = table(app).current_row
        assert first is not None and first.style == "red"  # open work, overdue first
        store = open_store(str(firm_db))
        deliverable = records.get(store, "deliverable", first.id)
        provider = records.find(store, "contract", {"code": deliverable["contract"]})["provider"]
        store.close()
        await pilot.press("1")
        await settle(pilot)
        quality_before = quality_shown(app, provider)

        await pilot.press("3")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MarkDeliverable)
        await pilot.press("a", "5")
        await settle(pilot)
        assert type(app.screen).__name__ == "DeliverablesScreen"
        assert table(app).current_row is None or table(app).current_row.id != first.id

        store = open_store(str(firm_db))
        accepted = records.get(store, "deliverable", first.id)
        store.close()
        assert accepted["status"] == "accepted" and accepted["quality_score"] == 5
        assert accepted["accepted_date"].isoformat() == "2025-06-30"

        await pilot.press("1")
        await settle(pilot)
        assert overdue_title(app) == f"Overdue: {overdue_before - 1}"
        assert quality_shown(app, provider) != quality_before


async def test_marked_back_to_planned_it_loses_its_submission_and_keeps_its_rework(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    """A deliverable submitted and sent back, then ``m`` ``p``: planned again, its
    submitted date goes (it is not delivered) and its round of rework stays."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        row = table(app).current_row
        assert row is not None
        store = open_store(str(firm_db))
        record = records.get(store, "deliverable", row.id)
        for changes in (
            {"status": "submitted", "submitted_date": "2025-06-20"},
            {"status": "rework"},
        ):
            record = writes.update(
                store, "deliverable", record["id"], changes, version=record["version"]
            )
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MarkDeliverable)
        await pilot.press("p")
        await settle(pilot)
        marked = records.get(store, "deliverable", row.id)
        store.close()
        assert (marked["status"], marked["submitted_date"]) == ("planned", None)
        assert record["rework_rounds"] >= 1 and record["first_submitted_date"] is not None
        kept = ("first_submitted_date", "rework_rounds")
        assert [marked[name] for name in kept] == [record[name] for name in kept]


@AT_SCALE
async def test_dashboard_rows_open_the_record_behind_them(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one("#renewals", PanelTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ContractDetailScreen"
        assert app.screen.record is not None
        assert app.screen.record["code"] == "ENG-2024-011"  # the first renewal, by end date
        await pilot.press("escape")
        await settle(pilot)
        app.screen.query_one("#overdue", PanelTable).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "RecordDetailScreen"
        assert app.screen.spec.name == "deliverable"


async def test_a_matrix_cell_lists_its_activities(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        matrix = app.screen.query_one("SourcingMatrix DataTable")
        matrix.focus()
        await pilot.press("right", "right", "enter")  # core x outsourced
        await settle(pilot)
        assert app.current_mode == "activities"
        shown = table(app)
        sourcing = [c.key for c in shown.columns].index("sourcing")
        classification = [c.key for c in shown.columns].index("classification")
        assert shown.row_count == len(core_outsourced_in_sample())
        row = shown.current_row
        assert row is not None
        assert row.cells[classification] == "core"
        assert row.cells[sourcing] in ("outsourced", "hybrid")


def stored_deliverables(db: Path, text: str = "") -> tuple[int, int]:
    """How many deliverables match ``text``, and the id of the last by due date."""
    store = open_store(str(db))
    try:
        flt = ListFilter(text=text)
        last = listing.page(store, "deliverable", flt=flt, before=listing.END, limit=1)
        return listing.count(store, "deliverable", flt), last[-1]["id"]
    finally:
        store.close()


@AT_SCALE
async def test_slash_filters_every_deliverable_as_it_is_typed(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    everything, last = stored_deliverables(firm_db)
    matching, last_matching = stored_deliverables(firm_db, "model")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        app.screen.choose({"view": "all"})  # as the dashboard does; open work is the default
        await settle(pilot)
        shown = table(app)
        assert shown.row_count == everything
        await pilot.press("end")
        await settle(pilot)
        assert shown.current_row is not None and shown.current_row.id == last

        await filter_by(pilot, "model")
        await settle(pilot)
        assert 0 < shown.row_count == matching < everything
        status = str(app.screen.query_one(".list-status").render())
        assert status.startswith(f"{matching:,} deliverables · matching “model”")
        title = [c.key for c in shown.columns].index("title")
        await pilot.press("enter", "end")
        await settle(pilot)
        row = shown.current_row
        assert row is not None and row.id == last_matching and "model" in row.cells[title].lower()

        await pilot.press("slash", "escape")
        await settle(pilot)
        assert shown.row_count == everything


async def test_keys_that_arrive_with_the_slash_go_into_the_filter(
    make_app: Callable[..., KpoApp],
) -> None:
    """A paste or a fast typist over SSH delivers ``/model`` in one read: the letters must
    not reach the table, where ``m`` marks and ``e`` edits."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        for key, character in [("slash", "/"), *((c, c) for c in "model")]:
            app.post_message(events.Key(key, character))
        await settle(pilot)
        assert not isinstance(app.screen, MarkDeliverable)
        status = str(app.screen.query_one(".list-status").render())
        assert "matching “model”" in status
