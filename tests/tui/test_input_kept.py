"""Nothing typed is lost: quitting asks while a form holds changes, keys typed right after
tab land in the field tab moved to, and the mark dialog's date can be changed."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input

from kpotui.tui.app import KpoApp
from kpotui.tui.dialogs.confirm import ConfirmDialog
from kpotui.tui.dialogs.record_form import RecordForm
from tests.tui.conftest import settle


async def test_quitting_with_unsaved_changes_asks_first(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6", "n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        await pilot.press(*"Kraków Data")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog) and app.is_running
        await pilot.press("n")  # stay
        await settle(pilot)
        assert app.screen is form and app.is_running
        assert form.query_one("#field-name", Input).value == "Kraków Data"

        await pilot.press("ctrl+q", "y")
        await settle(pilot)
        assert not app.is_running


async def test_quitting_asks_for_a_form_under_another_dialog_or_on_another_screen(
    make_app: Callable[..., KpoApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "n")
        await settle(pilot)
        await pilot.press(*"ENG-2025-077")
        await app.switch_mode("deliverables")  # as "Go to Deliverables" in the palette does
        await settle(pilot)
        assert type(app.screen).__name__ == "DeliverablesScreen"
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog) and app.is_running
        await pilot.press("escape")
        await app.switch_mode("contracts")
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)

        await pilot.press("escape")  # the form's own question, then ctrl+q on top of it
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.is_running
        assert "Quit" in str(app.screen.query_one(".dialog-title").render())


async def test_quitting_without_changes_is_immediate(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6", "n")
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert not app.is_running
