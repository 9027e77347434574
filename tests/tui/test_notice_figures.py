"""The dashboard's top line and its panels count the same things: every figure on the top
line is its panel's figure (and ``report summary``'s); lapsed contracts are shown apart,
and flagged in the contracts list."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Static

from kpotui.services import insights, settings
from kpotui.store import open_store
from kpotui.tui.app import KpoApp
from kpotui.tui.dialogs.record_form import RecordForm
from kpotui.tui.widgets.panel_table import PanelTable
from tests.tui.conftest import settle
from tests.tui.helpers import move_to, screen_text, table, type_in
from tests.tui.sample_firm import REFERENCE_DATE

PANELS = {
    "overdue": "overdue",
    "due in": "due-soon",
    "notice deadlines": "renewals",
    "at risk": "at-risk",
    "provider decisions": "decisions",
}
"""What a top-line figure says -> the panel it sums up."""


def numbers(text: str) -> list[int]:
    """The counts in ``text``, leaving out the horizon ("within 30 days", "in 14 days")."""
    text = re.sub(r"\b(in|within|next) \d+ days", "", text)
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]


def top_line(app: KpoApp) -> list[str]:
    return str(app.screen.query_one("#headline", Static).content).split("  ·  ")


def title(app: KpoApp, panel: str) -> str:
    return str(app.screen.query_one(f"#panel-{panel}").border_title)


def assert_figures_agree(app: KpoApp) -> list[int]:
    """Each top-line figure's counts are its panel title's (the agenda's has no panel:
    tests/tui/test_agenda_screen.py checks it); returns the notice figures."""
    agenda, *figures = top_line(app)
    assert agenda.startswith("agenda: ")
    assert len(figures) == len(PANELS)
    notice: list[int] = []
    for figure in figures:
        panel = next(p for words, p in PANELS.items() if words in figure)
        assert numbers(figure) == numbers(title(app, panel)), (figure, title(app, panel))
        if panel == "renewals":
            notice = numbers(figure)
    listed = app.screen.query_one("#renewals", PanelTable).row_count
    assert listed == sum(notice)  # the contracts near notice and the lapsed, all listed
    return notice


def summary_figures(db: Path) -> list[int]:
    store = open_store(str(db))
    try:
        found = insights.summary(store, date.fromisoformat(REFERENCE_DATE))
    finally:
        store.close()
    lapsed = found["contracts_lapsed"]
    return [found["contracts_in_notice"], *([lapsed] if lapsed else [])]


async def test_top_line_counts_are_the_panels_counts_before_and_after_an_edit(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        # ENG-2023-004 and ENG-2024-011 past their deadline, ENG-2024-005's on 07-02
        assert assert_figures_agree(app) == [3] == summary_figures(firm_db)
        assert "lapsed" not in " ".join(top_line(app))

        await pilot.press("2")
        await settle(pilot)
        await move_to(pilot, "code", "ENG-2025-004")  # on hold, ends 2025-10-31
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)
        await type_in(pilot, "end_date", "2025-06-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RecordForm)
        assert table(app).current_row is not None
        assert table(app).current_row.style == "red"  # flagged lapsed in the list

        await pilot.press("1")
        await settle(pilot)
        assert assert_figures_agree(app) == [3, 1] == summary_figures(firm_db)
        assert "1 lapsed" in " ".join(top_line(app))
        renewals = app.screen.query_one("#renewals", PanelTable)
        first = [str(c) for c in renewals.get_row_at(0)]
        assert first[:3] == ["2025-06-01", "lapsed", "ENG-2025-004"]
        assert first[3].startswith("ended: renew, complete or terminate")


async def test_the_notice_panel_and_a_contract_show_its_current_term(
    make_app: Callable[..., KpoApp], firm_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On 2026-12-03, ENG-2023-004 (ended 2025-08-31, auto-renews, 90 days' notice, no
    term given: 12 months) has rolled on to 2027-08-31; notice by 2027-06-02. Three live
    contracts that do not renew have lapsed."""
    monkeypatch.setenv("KPOTUI_TODAY", "2026-12-03")
    store = open_store(str(firm_db))
    try:
        settings.set_value(store, "notice_warning_days", 200)
    finally:
        store.close()
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        assert assert_figures_agree(app)[1] == 3
        renewals = app.screen.query_one("#renewals", PanelTable)
        rows = [[str(c) for c in renewals.get_row_at(i)] for i in range(renewals.row_count)]
        lapsed = [row[2] for row in rows if row[1] == "lapsed"]
        assert lapsed == ["ENG-2024-011", "ENG-2025-004", "ENG-2024-006"]
        index = next(i for i, row in enumerate(rows) if row[2] == "ENG-2023-004")
        assert rows[index][:2] == ["2027-08-31", "2027-06-02"]

        renewals.focus()
        renewals.move_cursor(row=index)
        await pilot.press("enter")
        await settle(pilot)
        assert "renews to 2027-08-31 unless notice by 2027-06-02" in screen_text(app)
