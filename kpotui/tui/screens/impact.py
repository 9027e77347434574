"""If a provider goes: what breaks (``x`` on a provider, in the list or on its screen)."""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from rich.measure import Measurement
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer
from textual.widgets import Static

from kpotui.reports.exit_reports import impact_report
from kpotui.services import records
from kpotui.services.clock import today
from kpotui.tui.messages import RecordsChanged
from kpotui.tui.report_view import report_view
from kpotui.tui.screens.base import KpoScreen


class ImpactScreen(KpoScreen):
    """The impact of losing one provider (by id): ``kpotui report impact`` on a screen."""

    HELP = (
        "What breaks if this provider disappears: its "
        "live contracts with their term end, value and earliest exit (the term's end while "
        "notice can still be given; past the notice deadline, the next term's end for an "
        "auto-renewing contract), the activities they cover with the monthly cost of taking "
        "them back against what is paid now, their retention notes (fresh, stale, none; "
        "'no runbook': no runbook or hand-over note at all), open deliverables and the "
        "irreversible decisions the provider took. Rules: docs/exit.md."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="impact.back"),
        Binding("r", "reload", "Reload", show=False, id="impact.reload"),
    ]

    def __init__(self, provider_id: int) -> None:
        super().__init__()
        self.provider_id = provider_id

    def compose_body(self) -> ComposeResult:
        # As wide as its tables (scrolled sideways on a narrow terminal): squeezed into
        # 80 columns, eight columns wrap a word a line.
        with ScrollableContainer(id="impact-body"):
            yield Static("Impact …", id="impact")

    def on_mount(self) -> None:
        self._load()

    def shows(self) -> tuple[str, ...]:
        return ("provider", "contract", "deliverable", "task", "note", "decision", "rate")

    def refresh_records(self, change: RecordsChanged) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="impact")
    def _load(self) -> None:
        store = self.database.store()
        name = records.get(store, "provider", self.provider_id)["name"]
        report = impact_report(store, today(), provider=name)
        self.app.call_from_thread(self._show, report_view(report))

    def _show(self, view: RenderableType) -> None:
        shown = self.query_one("#impact", Static)
        console = self.app.console
        shown.styles.width = Measurement.get(console, console.options, view).minimum
        shown.update(view)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        self._load()
