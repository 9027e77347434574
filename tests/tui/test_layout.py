"""Screens at 80 and 120 columns: which columns a table shows, the top bar's names."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from textual.widgets import Checkbox, Input, Static

from kpotui.store import open_store
from kpotui.target import short_name
from kpotui.tui.app import KpoApp
from kpotui.tui.screens import MAIN_SCREENS
from kpotui.tui.screens.help import HelpScreen
from kpotui.tui.widgets.field_row import FieldRow
from kpotui.tui.widgets.nav_bar import NavBar
from kpotui.tui.widgets.panel_table import PanelTable
from kpotui.tui.widgets.virtual_table import PADDING, Column, fit_columns
from tests.tui.conftest import settle
from tests.tui.helpers import add_provider, screen_text, table

COLUMNS = [
    Column("code", "Code", 10),
    Column("title", "Title", 10, grow=True),
    Column("value", "Value", 8, "right", priority=2, group="value"),
    Column("currency", "Cur", 3, priority=2, group="value"),
    Column("owner", "Owner", 12, priority=1),
]


def keys(columns: tuple[Column, ...]) -> list[str]:
    return [c.key for c in columns]


def used(columns: tuple[Column, ...]) -> int:
    return sum(c.width + PADDING for c in columns)


def test_every_column_shows_in_order_where_all_fit() -> None:
    shown = fit_columns(COLUMNS, 100)
    assert keys(shown) == ["code", "title", "value", "currency", "owner"]
    assert used(shown) == 100  # the title took the room left


def test_the_highest_priority_number_drops_first_with_its_group() -> None:
    shown = fit_columns(COLUMNS, 40)  # code, title and owner: 38 cells; value and currency: 15
    assert keys(shown) == ["code", "title", "owner"]
    assert dict(zip(keys(shown), (c.width for c in shown), strict=True))["title"] == 12


def test_a_lower_column_that_still_fits_shows() -> None:
    shown = fit_columns([*COLUMNS[:4], Column("owner", "Owner", 30, priority=1)], 45)
    assert keys(shown) == ["code", "title", "value", "currency"]  # owner is too wide


def test_columns_of_priority_zero_show_however_narrow() -> None:
    assert keys(fit_columns(COLUMNS, 5)) == ["code", "title"]


@pytest.mark.parametrize(
    ("target", "name"),
    [
        ("postgresql+psycopg://kpo:s3cret@db.example.com:5432/firm", "db.example.com/firm"),
        ("postgresql://localhost/kpotui", "localhost/kpotui"),
        ("sqlite:////tmp/a/firm.db", "firm.db"),
        ("/tmp/a/firm.db", "firm.db"),
    ],
)
def test_the_top_bar_names_a_database_without_its_password(target: str, name: str) -> None:
    assert short_name(target) == name


def shown_keys(app: KpoApp) -> list[str]:
    return keys(table(app).shown_columns)


async def test_contracts_show_whole_columns_at_80_and_the_currency_at_120(
    make_app: Callable[..., KpoApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        narrow = table(app)
        assert used(narrow.shown_columns) <= narrow.size.width
        assert shown_keys(app)[:5] == ["code", "title", "status", "end_date", "provider"]
        assert "currency" not in shown_keys(app)  # nor value: they go together
        assert "value" not in shown_keys(app)
        title = next(c for c in narrow.shown_columns if c.key == "title")
        assert title.width >= 20
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        wide = table(app).shown_columns
        assert keys(wide)[keys(wide).index("value") + 1] == "currency"
        currency = next(c for c in wide if c.key == "currency")
        assert currency.width >= cell_len("USD")
        assert used(wide) <= table(app).size.width


@pytest.mark.parametrize("mode", [s.mode for s in MAIN_SCREENS])
async def test_every_screen_is_named_in_the_top_bar_at_80_columns(
    make_app: Callable[..., KpoApp], mode: str
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.switch_mode(mode)
        await settle(pilot)
        bar = str(app.screen.query_one(NavBar).render())
        assert cell_len(bar) <= 80
        for screen in MAIN_SCREENS:
            name = screen.label if screen.mode == mode else screen.short
            assert f"{screen.key} {name}" in bar
        assert "firm.db" in bar


async def test_help_shows_square_bracket_keys_and_text(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        texts = [s.content for s in app.screen.query(Static)]
        shown = " ".join(str(s.visual) for s in app.screen.query(Static))
        assert "[ and ] switch tabs" in shown
        assert "a [keys] table" in shown
        console = Console(width=120, file=io.StringIO(), record=True)
        for table_ in (t for t in texts if isinstance(t, Table)):
            console.print(table_)
        keys_shown = [line.split()[0] for line in console.export_text().splitlines() if line]
        assert {"[", "]"} <= set(keys_shown)


async def test_a_checkbox_says_its_state_and_hints_sit_under_the_label(
    make_app: Callable[..., KpoApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        box = app.screen.query_one("#field-auto_renew", Checkbox)
        before = box.value
        box.value = not before
        await pilot.pause()
        assert str(box.label) == ("no" if before else "yes")
        box.value = before
        await pilot.pause()
        assert str(box.label) == ("yes" if before else "no")
        value = app.screen.query_one("#field-value", Input)
        assert value.placeholder == ""
        row = next(r for r in app.screen.query(FieldRow) if r.spec.name == "value")
        assert "amount, e.g. 12,500.00" in str(row.query_one(".field-message", Static).visual)


async def test_the_dashboard_footer_keys_read_apart(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = [(key.key_display, key.description) for key in app.screen.query("FooterKey")]
        assert ("⇥", "Next panel") in shown  # not "⏎ Open tab Next panel"


async def test_reliability_lists_providers_with_work_and_counts_the_others(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    add_provider(firm_db, "Idle One")
    add_provider(firm_db, "Idle Two")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one("#reliability", PanelTable)
        listed = {str(key.value) for key in panel.rows}
        assert listed and not {"provider:Idle One", "provider:Idle Two"} & listed
        summary = app.screen.query_one("#panel-reliability .panel-summary", Static)
        assert str(summary.visual) == "2 providers have no deliverables yet."


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    path = tmp_path / "empty.db"
    open_store(str(path)).close()
    path.chmod(0o600)
    return path


async def test_an_empty_database_says_how_to_begin(
    make_app: Callable[..., KpoApp], empty_db: Path
) -> None:
    app = make_app(db=empty_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        guide = str(app.screen.query_one("#first-run", Static).visual)
        assert "press 6 for Providers, then n" in guide
        assert "kpotui import" in guide and "docs/format.md" in guide
        for key, text in [
            ("6", "No providers yet. Press n to add the first provider."),
            ("2", "No contracts yet. Press n to add the first contract."),
            ("5", "No notes yet. Press n to add the first note."),
        ]:
            await pilot.press(key)
            await settle(pilot)
            assert table(app).empty_text == text
            assert text in screen_text(app)


async def test_a_firm_s_dashboard_has_no_first_run_guide(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.query("#first-run")
        await pilot.press("2")
        await settle(pilot)
        assert table(app).empty_text == ""


EMOJI_NAME = "⚖️ Legal 🗑️"


async def test_a_variation_selector_emoji_keeps_table_lines_their_width(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    add_provider(firm_db, EMOJI_NAME)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        shown = table(app)
        lines = [shown.render_line(y).text for y in range(shown.row_count + 1)]
        assert any("⚖ Legal 🗑" in line for line in lines)
        width = shown.scrollable_content_region.width
        for line in lines:
            assert "\ufe0f" not in line
            assert cell_len(line) == width


async def test_the_changes_table_fits_80_columns_with_its_changes(
    make_app: Callable[..., KpoApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        changes = app.screen.query_one("#changes", PanelTable)
        columns = list(changes.columns.values())
        assert str(columns[-1].label) == "Changes" and columns[-1].width >= len("Changes")
        drawn = sum(column.get_render_width(changes) for column in columns)
        assert drawn <= changes.scrollable_content_region.width
