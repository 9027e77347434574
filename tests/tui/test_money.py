"""The dashboard never adds two currencies: spend and the matrix convert at dated rates."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from kpotui.services import writes
from kpotui.store import open_store
from kpotui.tui.app import KpoApp
from tests.services import factories as make
from tests.services.test_money import cross_currency_sums, three_currencies, two_providers
from tests.tui.conftest import settle
from tests.tui.helpers import table


@pytest.fixture
def fresh_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KPOTUI_TODAY", "2026-12-03")
    path = tmp_path / "money.db"
    open_store(str(path)).close()
    return path


def build(db: Path, fill: Callable[..., None], **options: bool) -> None:
    store = open_store(str(db))
    try:
        fill(store, **options)
    finally:
        store.close()


def screen_text(app: KpoApp) -> str:
    """Every table cell and every line of text on the screen."""
    parts = []
    for shown in app.screen.query(DataTable):
        for key in shown.rows:
            parts.extend(str(cell) for cell in shown.get_row(key))
    parts.extend(str(static.render()) for static in app.screen.query(Static))
    return "\n".join(parts)


async def test_the_dashboard_shows_the_example_converted(
    make_app: Callable[..., KpoApp], fresh_db: Path
) -> None:
    build(fresh_db, two_providers)
    app = make_app(db=fresh_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        spend = app.screen.query_one("#spend", DataTable)
        rows = [[str(cell) for cell in spend.get_row(key)] for key in spend.rows]
        assert rows[0][0] == "Yankee Data" and rows[0][2] == "64.3%"
        assert rows[0][3] == "EUR 90,000.00"
        summary = str(app.screen.query_one("#panel-spend .panel-summary", Static).render())
        assert "≈ EUR 140,000.00 (rates of 2026-11-01)" in summary
        assert "live contracts" in summary


@pytest.mark.parametrize("gbp_rate", [True, False], ids=["gbp-rate", "no-gbp-rate"])
async def test_no_dashboard_panel_adds_two_currencies(
    make_app: Callable[..., KpoApp], fresh_db: Path, gbp_rate: bool
) -> None:
    build(fresh_db, three_currencies, gbp_rate=gbp_rate)
    app = make_app(db=fresh_db)
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        numbers = set(re.findall(r"\d[\d,]*(?:\.\d+)?", text))
        assert not numbers & cross_currency_sums(), numbers & cross_currency_sums()
        assert ("no rate for GBP" in text) is not gbp_rate
        matrix = str(app.screen.query_one(".matrix-summary", Static).render())
        assert "Outsourced work costs EUR 500.00; GBP 200.00; USD 1,000.00" in matrix
        if gbp_rate:  # 500 + 200 x 1.2 + 1,000 x 0.9
            assert "≈ EUR 1,640.00 (rates of 2026-11-01)" in matrix


async def test_rates_are_listed_from_the_settings_screen(
    make_app: Callable[..., KpoApp], fresh_db: Path
) -> None:
    store = open_store(str(fresh_db))
    try:
        make.provider(store)
        writes.create(store, "rate", {"currency": "USD", "date": "2026-11-01", "rate": "0.90"})
    finally:
        store.close()
    app = make_app(db=fresh_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("comma")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert app.current_mode == "rates"
        shown = table(app)
        row = shown.current_row
        assert row is not None and list(row.cells) == ["USD", "2026-11-01", "0.9"]


async def test_the_settings_screen_refuses_a_new_currency_while_rates_exist(
    make_app: Callable[..., KpoApp], fresh_db: Path
) -> None:
    from kpotui.services import settings
    from kpotui.tui.dialogs.edit_setting import EditSetting

    build(fresh_db, two_providers)
    app = make_app(db=fresh_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("comma")
        await settle(pilot)
        await pilot.press("enter")  # the first row: currency
        await settle(pilot)
        await pilot.press("end", "ctrl+u", *"usd", "enter")
        await settle(pilot)
        assert isinstance(app.screen, EditSetting)  # still open, saying why
        message = str(app.screen.query_one(".field-message", Static).render())
        assert "while exchange rates exist" in message
    store = open_store(str(fresh_db))
    try:
        assert settings.get(store, "currency") == "EUR"
    finally:
        store.close()


@pytest.mark.parametrize("amount", ["0", "134500", "552000.5", "1234567.89"])
def test_every_screen_shows_money_in_the_one_format(amount: str) -> None:
    from kpotui.text import money_figure, money_text
    from kpotui.tui import formatting as fmt

    value = Decimal(amount)
    assert fmt.money(value, "USD") == money_text("USD", value)
    assert fmt.money(value) == money_figure(value)
    assert re.fullmatch(r"USD \d{1,3}(,\d{3})*\.\d\d", fmt.money(value, "USD"))
    assert fmt.value_text(value) == money_figure(value)
