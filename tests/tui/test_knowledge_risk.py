"""The dashboard names the outsourced core work hardest to take back first: the at-risk
panel lists high knowledge risk before the rest, and says so."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from textual.widgets import Static

from kpotui.services import insights, records, writes
from kpotui.store import open_store
from kpotui.tui.app import KpoApp
from kpotui.tui.widgets.panel_table import PanelTable
from tests.tui.conftest import settle
from tests.tui.sample_firm import REFERENCE_DATE


def make_last_at_risk_high(db: Path) -> str:
    """Give the at-risk activity last by name a high knowledge risk; returns its name."""
    store = open_store(str(db))
    try:
        at_risk = insights.retention(store, date.fromisoformat(REFERENCE_DATE)).at_risk
        assert len(at_risk) >= 2
        for risk in at_risk:
            task = records.get(store, "task", risk.id)
            level = "high" if risk is at_risk[-1] else "low"
            writes.update(
                store, "task", risk.id, {"knowledge_risk": level}, version=task["version"]
            )
        return at_risk[-1].name
    finally:
        store.close()


async def test_the_at_risk_panel_lists_high_knowledge_risk_first(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    name = make_last_at_risk_high(firm_db)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one("#at-risk", PanelTable)
        first = panel.get_row_at(0)
        assert first[0].plain == name
        assert first[-1].plain.startswith("high knowledge risk")
        summary = str(app.screen.query_one("#panel-at-risk .panel-summary", Static).content)
        assert "high knowledge risk first" in summary
