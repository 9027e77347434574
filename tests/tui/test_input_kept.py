"""Nothing typed is lost: quitting asks while a form holds changes, keys typed right after
tab land in the field tab moved to, and the mark dialog's date can be changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.app import App
from textual.widgets import Input, TextArea

from kpotui.services import records
from kpotui.store import open_store
from kpotui.tui.app import KpoApp
from kpotui.tui.dialogs.confirm import ConfirmDialog
from kpotui.tui.dialogs.mark_deliverable import MarkDeliverable
from kpotui.tui.dialogs.record_form import RecordForm
from tests.tui.conftest import settle
from tests.tui.helpers import table


def burst(app: App[None], *keys: str) -> None:
    """Post ``keys`` all at once, as a terminal delivers a paste or a fast typist's keys
    over a slow link: none is handled before the next arrives."""
    for key in keys:
        character = key if len(key) == 1 else {"tab": "\t", "space": " "}.get(key)
        app.post_message(events.Key(key, character))


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


async def test_keys_typed_right_after_tab_go_to_the_next_field(
    make_app: Callable[..., KpoApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6", "n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        # name, country, delivery model (a select), services; then back to the name, whose
        # text the focus selects, so that typing replaces it
        burst(app, *"Rzeszow", "tab", *"Poland", "tab", "tab", *"OCR")
        burst(app, "shift+tab", "shift+tab", "shift+tab", *"Rzeszów Sp")
        await settle(pilot)
        values = {row.id: row.value for row in form.query(Input)}
        assert values["field-name"] == "Rzeszów Sp"
        assert values["field-country"] == "Poland"
        assert values["field-services"] == "OCR"


def deliverable(db: Path, record_id: int) -> dict[str, object]:
    store = open_store(str(db))
    try:
        return records.get(store, "deliverable", record_id)
    finally:
        store.close()


async def test_the_mark_dialog_takes_a_date_then_a_status(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        row = table(app).current_row
        assert row is not None
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MarkDeliverable)
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "mark-date"
        await pilot.press("end", "ctrl+u", *"2025-06-20", "tab")
        assert app.focused is not None and app.focused.id != "mark-date"
        await pilot.press("shift+tab", "shift+tab")
        assert app.focused is not None and app.focused.id == "mark-status"
        await pilot.press("a", "4")
        await settle(pilot)
        assert not isinstance(app.screen, MarkDeliverable)
        marked = deliverable(firm_db, row.id)
        assert marked["status"] == "accepted" and marked["quality_score"] == 4
        assert str(marked["accepted_date"]) == "2025-06-20"


async def test_bound_keys_in_a_burst_after_tab_apply_in_order(
    make_app: Callable[..., KpoApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6", "n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        burst(app, *"Lodz", "tab", *"ab", "backspace", "c", "home", "x", "end", "y")
        burst(app, "shift+tab", "end", "left", "backspace", "o")
        await settle(pilot)
        values = {row.id: row.value for row in form.query(Input)}
        assert values["field-country"] == "xacy"
        assert values["field-name"] == "Looz"


async def test_bound_keys_in_a_burst_keep_their_place_in_a_long_text(
    make_app: Callable[..., KpoApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5", "n")
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)
        body = app.screen.query_one("#field-body", TextArea)
        body.focus()
        await settle(pilot)
        burst(app, *"ab", "backspace", "c", "home", "x")
        await settle(pilot)
        assert body.text == "xac"
