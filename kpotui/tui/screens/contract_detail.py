"""A contract: overview (with its notice deadline and value against in-house, see
:mod:`kpotui.tui.fact_lines`), then tabs for its deliverables, activities, notes, decisions,
its exit plan and readiness, and history, and last its service levels per period (SLA)."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane

from kpotui.reports.exit_reports import exit_plan
from kpotui.services import sla
from kpotui.services.clock import today
from kpotui.services.records import Record
from kpotui.tui.report_view import report_view
from kpotui.tui.screens.record_detail import RecordDetailScreen
from kpotui.tui.widgets.sla_table import sla_table


class ContractDetailScreen(RecordDetailScreen):
    """One contract and everything that belongs to it."""

    HELP = (
        "One contract. The overview adds what the fields imply: the last day to give notice "
        "(or decide on renewal) and what the work would cost in-house. The tabs list its "
        "deliverables, the activities it covers, its notes and decisions (n adds one there, "
        "already linked to this contract), its exit plan with its readiness score and every "
        "deduction (rules: docs/exit.md), its audit trail, and its service levels (SLA: "
        "targets against figures per period; ! a breach, ~ missed with too few due). "
        "[ and ] switch tabs. "
        "Its provider is a link: P (or enter on it) opens it; backspace or escape comes back."
    )

    def __init__(self, record_id: int | None = None, key: dict[str, Any] | None = None) -> None:
        super().__init__("contract", record_id, key)
        self.sla_view = Static("…", id="sla")
        """Kept here: a figure may arrive before its tab is mounted."""

    def subtitle(self, record: Record) -> str:
        return f" · {record['title']} · {record['status']}"

    def on_mount(self) -> None:
        super().on_mount()
        pane = TabPane("SLA", VerticalScroll(self.sla_view), id="tab-sla")
        self.query_one(TabbedContent).add_pane(pane)

    def compose_extra_tabs(self) -> ComposeResult:
        with TabPane("Exit", id="tab-exit"), VerticalScroll():
            yield Static("Exit readiness …", id="exit")

    def show_extra(self, record: Record) -> None:
        self._load_exit(record["code"])
        self._load_sla(record["code"])

    @work(thread=True, exclusive=True, exit_on_error=False, group="exit")
    def _load_exit(self, code: str) -> None:
        plan = exit_plan(self.database.store(), today(), code)
        view = report_view(plan, title=False)
        self.app.call_from_thread(self.query_one("#exit", Static).update, view)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sla")
    def _load_sla(self, code: str) -> None:
        """The SLA tab: targets against figures for the last periods."""
        trend = sla.contract_trend(self.database.store(), code, today())
        self.app.call_from_thread(self.sla_view.update, sla_table(trend))
