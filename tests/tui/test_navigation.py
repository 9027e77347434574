"""Moving around: the eight screens, help, the command palette, keymap and theme from config."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Input

from kpotui import config
from kpotui.tui.app import KpoApp, build_app
from kpotui.tui.screens import MAIN_SCREENS
from kpotui.tui.screens.help import HelpScreen
from kpotui.tui.widgets.nav_bar import NavBar
from tests.tui.conftest import AT_SCALE, settle
from tests.tui.helpers import add_provider, show_provider, table

SCREEN_CLASSES = {s.mode: s.class_name for s in MAIN_SCREENS}


@AT_SCALE
async def test_each_of_the_eight_screens_is_one_key_away(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "DashboardScreen"
        for key, mode in [
            ("8", "agenda"),
            ("7", "decisions"),
            ("3", "deliverables"),
            ("2", "contracts"),
            ("5", "notes"),
            ("4", "activities"),
            ("6", "providers"),
            ("1", "dashboard"),
        ]:
            await pilot.press(key)
            await settle(pilot)
            assert app.current_mode == mode
            assert type(app.screen).__name__ == SCREEN_CLASSES[mode]
            label = next(s.label for s in MAIN_SCREENS if s.mode == mode)
            assert f" {key} {label} " in str(app.screen.query_one(NavBar).render())


async def test_a_click_on_the_top_bar_switches_screens(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        tabs = str(app.screen.query_one(NavBar).render())
        await pilot.click(NavBar, offset=(tabs.index("6 Providers") + 2, 0))
        await settle(pilot)
        assert app.current_mode == "providers"


async def test_escape_goes_back_from_a_record_to_its_list(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ContractDetailScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "ContractsScreen"


async def test_help_lists_every_key_of_the_current_screen(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await settle(pilot)
        expected = {
            active.binding.id or ""
            for active in app.screen.active_bindings.values()
            if active.binding.description and not active.binding.system
        }
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        listed = {binding_id for _, _, binding_id in app.screen.keys}
        assert {
            "list.filter",
            "list.new",
            "list.edit",
            "list.delete",
            "deliverables.mark",
        } <= listed
        assert expected <= listed
        await pilot.press("escape")
        assert type(app.screen).__name__ == "DeliverablesScreen"


async def test_command_palette_goes_to_a_screen(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        search = app.focused
        assert isinstance(search, Input)
        search.value = "go to notes"
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "notes"


async def test_command_palette_offers_the_keys_of_the_screen(
    make_app: Callable[..., KpoApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Go to Dashboard", "Go to Decisions", "Filter", "New", "Edit", "Theme"} <= titles


async def test_a_theme_chosen_is_kept_in_the_config_file(firm_db: Path) -> None:
    async with build_app(str(firm_db), read_only=False, demo=False).run_test() as pilot:
        assert pilot.app.theme == "textual-dark"
        pilot.app.theme = "nord"
        await pilot.pause()
    assert config.get("theme") == "nord"
    app = build_app(str(firm_db), read_only=False, demo=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.theme == "nord"


async def test_keys_table_in_the_config_remaps_a_binding(firm_db: Path) -> None:
    config.set_value("keys.app.contracts", "f2")
    app = build_app(str(firm_db), read_only=False, demo=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert app.current_mode == "contracts"
        assert " f2 Contracts " in str(app.screen.query_one(NavBar).render())


async def test_a_provider_without_contracts_is_listed_with_empty_figures(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    add_provider(firm_db, "Zeta Research")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await show_provider(pilot, "Zeta Research")
        row = table(app).current_row
        assert row is not None
        keys = [c.key for c in table(app).columns]
        assert [row.cells[keys.index(k)] for k in ("on_time", "quality", "spend")] == ["—"] * 3
