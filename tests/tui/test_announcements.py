"""A change is announced once and every screen showing that kind of record refreshes
itself: the list behind a dialog (cursor kept), the dashboard, screens left open."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from kpotui.services.fields import KINDS
from kpotui.tui.app import KpoApp
from kpotui.tui.dialogs.record_form import RecordForm
from kpotui.tui.messages import RecordsChanged
from kpotui.tui.screens.dashboard import EVERY_KIND
from tests.tui.conftest import AT_SCALE, settle
from tests.tui.helpers import choose, move_to, table, type_in

CODE = "ENG-2024-011"
"""Live, its notice deadline passed: on the dashboard's renewals panel."""
PROVIDER = "Wisła Research Partners sp. z o.o."


def renewals_shown(app: KpoApp) -> int:
    title = str(app.screen.query_one("#panel-renewals").border_title)
    return int(title.rsplit(": ", 1)[1])


def cell(app: KpoApp, column: str) -> str:
    shown = table(app)
    row = shown.current_row
    assert row is not None
    return row.cells[[c.key for c in shown.columns].index(column)]


async def complete_the_contract(pilot: Pilot[None]) -> int:
    """On the contracts list, set the contract's status to completed in the form; returns
    the id of the row under the cursor before the form opened."""
    await pilot.press("2")
    await settle(pilot)
    await move_to(pilot, "code", CODE)
    row = table(pilot.app).current_row
    assert row is not None
    await pilot.press("e")
    await settle(pilot)
    assert isinstance(pilot.app.screen, RecordForm)
    await choose(pilot, "status", "completed")
    await pilot.press("ctrl+s")
    await settle(pilot)
    return row.id


@AT_SCALE
async def test_an_edit_in_a_dialog_refreshes_the_list_behind_and_the_dashboard(
    make_app: Callable[..., KpoApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = renewals_shown(app)

        row_id = await complete_the_contract(pilot)
        assert type(app.screen).__name__ == "ContractsScreen"
        current = table(app).current_row
        assert current is not None and current.id == row_id  # the cursor stayed
        assert cell(app, "status") == "completed"

        await pilot.press("1")
        await settle(pilot)
        assert renewals_shown(app) == before - 1


async def test_an_undo_refreshes_the_open_screens(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = renewals_shown(app)
        await complete_the_contract(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert renewals_shown(app) == before - 1

        await pilot.press("u")  # on the dashboard: it refreshes at once
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert renewals_shown(app) == before

        await pilot.press("2")  # the list left open refreshes as it comes back
        await settle(pilot)
        await move_to(pilot, "code", CODE)
        assert cell(app, "status") == "active"


async def test_a_list_refreshes_when_a_kind_it_shows_changes(
    make_app: Callable[..., KpoApp],
) -> None:
    """The contracts list shows each contract's provider: renaming one refreshes it."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await move_to(pilot, "code", CODE)
        assert cell(app, "provider") == PROVIDER

        await pilot.press("6")
        await settle(pilot)
        await move_to(pilot, "name", PROVIDER)
        await pilot.press("e")
        await settle(pilot)
        await type_in(pilot, "name", "Wisła Research")
        await pilot.press("ctrl+s")
        await settle(pilot)

        await pilot.press("2")
        await settle(pilot)
        await move_to(pilot, "code", CODE)
        assert cell(app, "provider") == "Wisła Research"


def test_a_change_touches_the_kinds_it_names_or_any_when_it_names_none() -> None:
    contract = RecordsChanged.of("contract", 7)
    assert contract.touches({"contract", "provider"}) and not contract.touches({"note"})
    assert RecordsChanged().touches({"note"})
    merged = contract.merge(RecordsChanged.of("note", 3, deleted=True))
    assert merged.kinds == {"contract", "note"} and merged.deleted == {("note", 3)}
    assert merged.ids == {("contract", 7), ("note", 3)}
    assert not contract.merge(RecordsChanged()).kinds  # unknown kinds: any


def test_the_dashboard_shows_every_kind() -> None:
    """Every kind of record, and the agenda's acknowledgements (its top-line count)."""
    assert set(KINDS) | {"agenda"} == EVERY_KIND
