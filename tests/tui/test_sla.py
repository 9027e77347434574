"""Service levels in the app: the dashboard's breach mark, the contract's SLA tab, the
provider's trend chart and the providers list's sparkline, on the sample firm (its
ENG-2023-004 wants 90% on time and delivered 2 of 5 on time in 2025Q2)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from textual.geometry import Region
from textual.widgets import Static

from kpotui.services import sla, writes
from kpotui.services.records import find
from kpotui.store import open_store
from kpotui.tui.app import KpoApp
from kpotui.tui.screens.provider_detail import ProviderDetailScreen
from kpotui.tui.sparkline import BLOCKS, GAP, sparkline
from kpotui.tui.widgets.panel_table import PanelTable
from tests.tui.conftest import settle
from tests.tui.helpers import column_values, move_to
from tests.tui.sample_firm import REFERENCE_DATE

MERIDIAN = "Meridian Analytics Pvt Ltd"
TODAY = date.fromisoformat(REFERENCE_DATE)


def text_of(widget: Static, width: int = 120) -> str:
    """What the Static shows, as plain text lines."""
    return "\n".join(line.text for line in widget.render_lines(Region(0, 0, width, 40)))


def test_sparklines_scale_from_0_to_100_and_leave_gaps() -> None:
    assert sparkline([0, 50, 100, None, 150, -5]) == f"▁▅█{GAP}█▁"
    assert sparkline([]) == ""
    assert sparkline([3.0], low=1, high=5) == BLOCKS[4]


async def test_the_dashboard_marks_providers_in_breach(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one("#reliability", PanelTable)
        assert str(panel.get_row(f"provider:{MERIDIAN}")[0]) == f"! {MERIDIAN}"
        other = "Wisła Research Partners sp. z o.o."
        assert str(panel.get_row(f"provider:{other}")[0]) == other


async def test_the_sla_tab_shows_targets_against_figures_and_follows_edits(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await move_to(pilot, "code", "ENG-2023-004")
        await pilot.press("enter", "left_square_bracket")
        await settle(pilot)
        shown = text_of(app.screen.query_one("#sla", Static))
        assert "Targets per quarter: on time ≥ 90%, quality ≥ 4, rework ≤ 0.5" in shown
        line = next(line for line in shown.splitlines() if line.startswith("2025Q2"))
        assert line.split()[1:3] == ["5", "5"] and "40% ≥90% !" in line
        assert line.rstrip().endswith("on time")
        store = open_store(str(firm_db))
        record = find(store, "contract", {"code": "ENG-2023-004"})
        assert record is not None
        writes.update(store, "contract", record["id"], {"sla_on_time_pct": 40}, version=None)
        store.close()
        await pilot.press("r")
        await settle(pilot)
        shown = text_of(app.screen.query_one("#sla", Static))
        line = next(line for line in shown.splitlines() if line.startswith("2025Q2"))
        assert "40% ≥40%" in line and "!" not in line


async def test_the_provider_trend_charts_eight_quarters(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        await move_to(pilot, "name", MERIDIAN)
        await pilot.press("enter", "left_square_bracket")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProviderDetailScreen)
        chart = str(screen.on_time_plot.render())
        assert "On time %" in chart and "24Q3" in chart and "25Q2" in chart
        assert "Average quality" in str(screen.quality_plot.render())


async def test_the_providers_list_draws_on_time_per_quarter(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        names = await column_values(pilot, "name")
        trends = await column_values(pilot, "trend")
    store = open_store(str(firm_db))
    series = sla.on_time_series(store, TODAY)
    store.close()
    assert dict(zip(names, trends, strict=True))[MERIDIAN] == sparkline(series[MERIDIAN])
    assert all(len(t) == sla.TREND_PERIODS for t in trends if t != "—")
