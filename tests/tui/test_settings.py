"""The firm settings screen: reached by key, palette and help; edits go through the service."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import DataTable, Static

from kpotui.services import settings
from kpotui.store import open_store
from kpotui.tui.app import KpoApp
from kpotui.tui.dialogs.edit_setting import EditSetting
from kpotui.tui.screens.help import HelpScreen
from kpotui.tui.screens.settings import SettingsScreen
from tests.tui.conftest import settle
from tests.tui.helpers import notices


def stored(db: Path, key: str) -> object:
    store = open_store(str(db))
    try:
        return settings.get(store, key)
    finally:
        store.close()


def cells(app: KpoApp, key: str) -> list[str]:
    return [str(cell) for cell in app.screen.query_one(DataTable).get_row(key)]


async def test_a_setting_is_edited_and_a_bad_value_shows_the_services_reason(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("comma")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert cells(app, "currency")[:3] == ["currency", "EUR", "EUR"]
        assert cells(app, "currency")[4] == "never set"
        assert cells(app, "due_soon_days")[1:3] == ["14", "14"]

        await pilot.press("enter")  # the cursor starts on the first row: currency
        await settle(pilot)
        assert isinstance(app.screen, EditSetting)
        await pilot.press("end", "ctrl+u", *"XXXX", "enter")
        await settle(pilot)
        assert isinstance(app.screen, EditSetting)  # still open, saying why
        message = str(app.screen.query_one(".field-message", Static).render())
        assert "'XXXX' is not an active ISO 4217 currency code" in message
        assert stored(firm_db, "currency") == "EUR"

        await pilot.press("end", "ctrl+u", *"usd", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert cells(app, "currency")[1] == "USD"
        assert cells(app, "currency")[4].startswith("set by ")
        assert stored(firm_db, "currency") == "USD"

        await pilot.press("delete")
        await settle(pilot)
        assert cells(app, "currency")[1] == "EUR"
        assert stored(firm_db, "currency") == "EUR"
        assert any("currency = EUR (default)" in n for n in notices(app))

        await pilot.press("u")  # undo the reset: the screen shows USD again
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert cells(app, "currency")[1] == "USD"
        assert stored(firm_db, "currency") == "USD"


async def test_settings_are_offered_by_the_palette_and_help(
    make_app: Callable[..., KpoApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert "Firm settings" in titles
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "app.settings" in {binding_id for _, _, binding_id in app.screen.keys}
        await pilot.press("escape")

        await pilot.press("ctrl+p")
        await pilot.press(*"firm settings")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)


async def test_a_read_only_app_does_not_edit(make_app: Callable[..., KpoApp]) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("comma")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
        assert any("read-only" in n for n in notices(app))
