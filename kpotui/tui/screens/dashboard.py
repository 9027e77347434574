"""Screen 1: the answers to the owner's questions at a glance; enter opens what is behind.

The first frame is light: the top bar, a "loading" line and the footer. After it, one
worker has the panels (eight tables) laid out, imports the services (and SQLAlchemy), opens
the database and fills the panels question by question.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import AwaitMount
from textual.widgets import DataTable, Static

from kpotui.services.clock import today
from kpotui.services.horizons import DUE_SOON_DAYS, firm_horizons
from kpotui.tui import formatting as fmt
from kpotui.tui.messages import OpenRecord, RecordsChanged, ShowList
from kpotui.tui.screens.base import KpoScreen
from kpotui.tui.widgets.nav_bar import HasScreenKeys, NavBar
from kpotui.tui.widgets.panel_table import ColumnSpec, PanelTable, cell
from kpotui.tui.widgets.sourcing_matrix import SourcingMatrix

if TYPE_CHECKING:
    from kpotui.services import agenda, insights

BAR_WIDTH = 10
COUNTRIES = 6
"""Largest country shares named in the spend panel."""
SHOWN = 50
"""Most rows a panel lists (a large firm has thousands; the title gives the total)."""
ON_TIME_TARGET = 0.8
"""On-time rates below this show red."""


def left(label: str, width: int = 0) -> ColumnSpec:
    """A column of text; width 0 takes what the others leave."""
    return (label, width, False)


def right(label: str, width: int) -> ColumnSpec:
    """A column of figures, right-aligned."""
    return (label, width, True)


DUE_SOON = "Due soon"
NOTICE = "Notice deadlines passed or near"
CONTRACT = left("Contract", 14)
FIGURES = (
    ("Done", 4),
    ("On time", 7),
    ("1st OK", 6),
    ("Quality", 7),
    ("Rework", 6),
    ("Late", 4),
)
"""The reliability panel's columns after the provider."""
TABLES: dict[str, tuple[str, tuple[ColumnSpec, ...]]] = {
    "overdue": ("Overdue", (left("Due", 10), right("Late", 6), CONTRACT, left("Deliverable"))),
    "due-soon": (DUE_SOON, (left("Due", 10), right("In", 6), CONTRACT, left("Deliverable"))),
    "renewals": (NOTICE, (left("Term ends", 10), left("Notice by", 10), CONTRACT, left(""))),
    "decisions": (
        "Decisions providers took this quarter",
        (left("Date", 10), CONTRACT, left("Undo?", 5), left("Summary")),
    ),
    "at-risk": (
        "Knowledge retention",
        (left("Outsourced core activity"), CONTRACT, left("Why", 17)),
    ),
    "reliability": (
        "Provider reliability",
        (left("Provider"), *(right(name, width) for name, width in FIGURES)),
    ),
    "spend": (
        "Spend by provider",
        (left("Provider"), left("", BAR_WIDTH), right("Share", 6), right("Value", 13)),
    ),
}
"""Panel id -> title and columns (label, width, right-aligned); width 0 takes what is left."""
EVERY_KIND = frozenset(
    {"provider", "contract", "deliverable", "task", "note", "decision", "rate", "agenda"}
)
"""What the panels read: every kind of record (named here: the first screen imports no
database code, which :mod:`kpotui.services.fields` does)."""


def first_run_text(providers_key: str) -> str:
    """What the dashboard of an empty database says to do first."""
    return (
        "Nothing here yet. To begin, press "
        f"{providers_key} for Providers, then n to add your first provider; then its "
        "contracts (2), their deliverables (3) and your activities (4). Or bring records "
        "in from files with kpotui import FILE... (TOML, JSON or CSV: see docs/format.md)."
    )


def _what(renewal: insights.Renewal) -> str:
    """What happens at the term end the row shows (its dates are in the row already)."""
    if renewal.term.lapsed:
        return "ended: renew, complete or terminate"
    if renewal.term.rolled:
        return "renewed, renews again"
    return "auto-renews" if renewal.auto_renew else "ends"


class DashboardScreen(KpoScreen):
    """Seven panels, one per question of the domain; the top line sums them up."""

    HELP = (
        "The owner's questions at a glance: overdue work and what is due soon (within the "
        f"firm setting due_soon_days, {DUE_SOON_DAYS} unless set); contracts whose notice "
        "deadline on the current term has passed or is near (notice_warning_days), and "
        "lapsed ones (ended, still live); decisions providers took "
        "this quarter (NO: cannot be undone); the core / non-core by in-house / outsourced "
        "matrix; outsourced core activities without an internal owner or a fresh note; "
        "per provider, the on-time rate (first submission by the due date), 1st OK (accepted "
        "work never sent back), quality and rounds of rework; and where the money goes. "
        "Tab moves between "
        "panels, enter opens the record behind a row (a matrix cell lists its activities); "
        "a (or the agenda's count on the top line) opens the agenda."
    )
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "tab",
            "app.focus_next",
            "Next panel",
            id="dashboard.next_panel",
            priority=True,
            key_display="⇥",  # "⏎ Open tab Next panel" read as "open tab"
        ),
        Binding(
            "shift+tab",
            "app.focus_previous",
            "Previous panel",
            id="dashboard.previous_panel",
            show=False,
            priority=True,
        ),
        Binding("r", "reload", "Reload", id="dashboard.reload"),
        Binding("a", "app.switch_mode('agenda')", "Agenda", id="dashboard.agenda", show=False),
    ]
    """Tab is a priority key, like the app's (see :class:`~kpotui.tui.app.KpoApp`): as a
    plain one, the app's would hide it from the footer."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[str, str] = {}

    def compose_body(self) -> ComposeResult:
        scroll = VerticalScroll(id="dashboard")
        scroll.can_focus = False  # tab goes from panel to panel; the view follows
        with scroll:
            yield Static("Loading the figures…", id="headline")

    def _columns(self) -> Horizontal:
        matrix = SourcingMatrix(classes="panel")
        matrix.border_title = "Activities: core / non-core by sourcing"
        return Horizontal(
            Vertical(
                *(self._panel(name) for name in ("overdue", "due-soon", "renewals", "decisions")),
                classes="column",
            ),
            Vertical(
                matrix,
                self._panel("at-risk", summary=True),
                self._panel("reliability", summary=True),
                self._panel("spend", summary=True),
                classes="column",
            ),
            id="columns",
        )

    def _panel(self, panel_id: str, *, summary: bool = False) -> Vertical:
        title, columns = TABLES[panel_id]
        table = PanelTable(columns, id=panel_id)
        children = [Static(classes="panel-summary"), table] if summary else [table]
        panel = Vertical(*children, classes="panel", id=f"panel-{panel_id}")
        panel.border_title = title
        return panel

    def on_mount(self) -> None:
        self.call_after_refresh(self._load)  # after the first frame

    def _lay_out_panels(self) -> AwaitMount | None:
        """Mount the empty panels, unless they are there."""
        if self.query("#columns"):
            return None
        return self.query_one("#dashboard").mount(self._columns())

    def _focus_overdue(self) -> None:
        """Focus the most urgent panel (enter opens its first item), unless one has focus."""
        if self.focused is None:
            self.query_one("#overdue", PanelTable).focus()

    def shows(self) -> Collection[str]:
        return EVERY_KIND

    def refresh_records(self, change: RecordsChanged) -> None:
        self._load()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="dashboard")
    def _load(self) -> None:
        show = self.app.call_from_thread
        show(self._lay_out_panels)  # waits until they are mounted
        show(self._focus_overdue)
        from kpotui.services import insights, listing

        store = self.database.store()  # the first screen opens the database (see AppDatabase)
        show(self.query_one(NavBar).update_content)  # the database's name is known now
        show(self._show_first_run, listing.count(store, "provider") == 0)
        days = firm_horizons(store)
        from kpotui.services import agenda

        show(self._show_agenda, agenda.figures(store, today()))
        show(self._show_due, insights.due_work(store, due_soon_days=days.due_soon_days, limit=50))
        found = insights.renewals(store, notice_warning_days=days.notice_warning_days)
        counts = insights.NoticeFigures.of(found, today())
        show(self._show_renewals, found, counts, days.notice_warning_days)
        show(self._show_decisions, insights.provider_decisions(store, limit=50))
        show(self.query_one(SourcingMatrix).show, insights.sourcing_matrix(store))
        show(self._show_retention, insights.retention(store, limit=SHOWN))
        from kpotui.services import sla

        breached = sla.providers_in_breach(store)
        reliable = insights.reliability(store, with_work=True)
        idle = insights.providers_without_work(store)
        show(self._show_reliability, reliable, idle, breached)
        show(self._show_spend, insights.concentration(store), insights.SPEND_MEANS)

    def _show_first_run(self, empty: bool) -> None:
        """On a database without providers, say how to begin (above the empty panels)."""
        for shown in self.query("#first-run"):
            shown.remove()
        if empty:
            key = cast(HasScreenKeys, self.app).screen_keys.get("providers", "6")
            self.query_one("#dashboard").mount(
                Static(first_run_text(key), id="first-run"), before="#columns"
            )

    def _fill(self, panel_id: str, rows: list[tuple[str, list[Text]]]) -> None:
        self.query_one(f"#{panel_id}", PanelTable).set_rows(rows)

    def _figure(self, name: str, text: str) -> None:
        """Add one figure to the headline (they arrive one question at a time)."""
        self.figures[name] = text
        order = ("agenda", "overdue", "soon", "notice", "risk", "decisions")
        self.query_one("#headline", Static).update(
            Text.from_markup("  ·  ".join(self.figures[k] for k in order if k in self.figures))
        )

    def _show_agenda(self, figures: agenda.Figures) -> None:
        """The agenda's count, a link to it (as ``a`` is)."""
        style = "bold red" if figures.overdue else "green"
        link = "@click=app.switch_mode('agenda')"
        counts = f"[{style}]{figures.items:,}[/] items, {figures.overdue:,} overdue"
        self._figure("agenda", f"[{link}]agenda: {counts} (a)[/]")

    def _show_due(self, due: insights.DueWork) -> None:
        style = "bold red" if due.overdue_count else "green"
        self._figure("overdue", f"[{style}]{due.overdue_count:,} overdue[/]")
        days = due.due_soon_days
        self._figure("soon", f"[yellow]{due.due_soon_count:,}[/] due in {days} days")
        self._title("overdue", f"Overdue: {due.overdue_count:,}")
        self._title("due-soon", f"Due in the next {days} days: {due.due_soon_count:,}")
        for panel_id, items, style in (
            ("overdue", due.overdue, "bold red"),
            ("due-soon", due.due_soon, "yellow"),
        ):
            rows = [
                (
                    f"deliverable:{item.id}",
                    [
                        cell(fmt.day(item.due_date)),
                        cell(f"{abs(item.days_late)} d", True, style),
                        cell(item.contract),
                        cell(item.title),
                    ],
                )
                for item in items
            ]
            self._fill(panel_id, rows)

    def _show_renewals(
        self, found: list[insights.Renewal], counts: insights.NoticeFigures, warning_days: int
    ) -> None:
        now = today()
        figure = f"[yellow]{counts.notice:,}[/] notice deadlines passed or near"
        if counts.lapsed:
            figure += f", [bold red]{counts.lapsed:,}[/] lapsed"
        self._figure("notice", figure)
        title = f"Notice deadlines passed or within {warning_days} days: {counts.notice:,}"
        self._title("renewals", f"{title}, lapsed: {counts.lapsed:,}" if counts.lapsed else title)
        rows = []
        for renewal in found[:SHOWN]:
            passed = renewal.inside_notice(now)
            if renewal.term.lapsed:
                notice_by = cell("lapsed", style="bold red")
            else:
                notice_by = cell(
                    fmt.day(renewal.notice_deadline), style="bold yellow" if passed else ""
                )
            cells = [
                cell(fmt.day(renewal.term.end)),
                notice_by,
                cell(renewal.code),
                cell(f"{_what(renewal)} · {renewal.provider}"),
            ]
            rows.append((f"contract:{renewal.id}", cells))
        self._fill("renewals", rows)

    def _show_decisions(self, log: insights.DecisionLog) -> None:
        summary = (
            f"{log.total:,} provider decisions this quarter ({log.irreversible:,} irreversible)"
        )
        self._figure("decisions", summary)
        title = (
            f"Provider decisions this quarter: {log.total:,} ({log.irreversible:,} irreversible)"
        )
        self._title("decisions", title)
        rows = [
            (
                f"decision:{item.id}",
                [
                    cell(fmt.day(item.date)),
                    cell(item.contract),
                    cell("yes") if item.reversible else cell("NO", style="bold red"),
                    cell(item.summary),
                ],
            )
            for item in log.items
        ]
        self._fill("decisions", rows)

    def _show_retention(self, kept: insights.Retention) -> None:
        style = "bold red" if kept.at_risk_count else "green"
        self._figure("risk", f"[{style}]{kept.at_risk_count:,}[/] core activities at risk")
        self._title("at-risk", f"Knowledge retention: {kept.at_risk_count:,} at risk")
        self.query_one("#panel-at-risk .panel-summary", Static).update(
            f"{kept.covered:,} of {kept.outsourced:,} outsourced activities have an internal "
            f"owner and a fresh note ({kept.with_owner:,} with an owner, "
            f"{kept.with_fresh_note:,} with a fresh note). At risk, high knowledge risk first:"
        )
        rows = [
            (
                f"task:{risk.id}",
                [
                    cell(risk.name),
                    cell(risk.contract or ""),
                    cell(", ".join(risk.reasons), style="yellow"),
                ],
            )
            for risk in kept.at_risk[:SHOWN]
        ]
        self._fill("at-risk", rows)

    def _show_reliability(
        self,
        found: list[insights.Reliability],
        idle: int,
        in_breach: Collection[str] = frozenset(),
    ) -> None:
        """Least on time first (no delivery yet: last), at most ``SHOWN``; the ``idle``
        providers, with no deliverable, only counted; ``!`` marks a provider with a
        contract in SLA breach this period (``in_breach``)."""
        summary = self.query_one("#panel-reliability .panel-summary", Static)
        providers = "provider has" if idle == 1 else "providers have"
        summary.update(f"{idle:,} {providers} no deliverables yet." if idle else "")
        summary.display = bool(idle)
        ranked = sorted(found, key=lambda r: (r.on_time_rate is None, r.on_time_rate or 0.0))
        if len(ranked) > SHOWN:
            self._title("reliability", f"Provider reliability: {SHOWN} least on time")
        rows = []
        for r in ranked[:SHOWN]:
            rate = r.on_time_rate
            late = rate is not None and rate < ON_TIME_TARGET
            breach = r.provider in in_breach
            cells = [
                cell(
                    f"! {r.provider}" if breach else r.provider, False, "bold red" if breach else ""
                ),
                cell(str(r.delivered), True),
                cell(fmt.percent(rate), True, "red" if late else ""),
                cell(fmt.percent(r.first_time_right_rate), True),
                cell(fmt.quality(r.average_quality), True),
                cell(str(r.rework_rounds), True),
                cell(str(r.overdue), True, "bold red" if r.overdue else ""),
            ]
            rows.append((f"provider:{r.provider}", cells))
        self._fill("reliability", rows)

    def _show_spend(self, spread: insights.Concentration, means: str) -> None:
        by_provider, by_country = spread.by_provider, spread.by_country
        if len(by_provider) > SHOWN:
            self._title("spend", f"Spend by provider: the {SHOWN} largest")
        rows = []
        for share in sorted(by_provider, key=lambda s: -s.share)[:SHOWN]:
            filled = round(share.share * BAR_WIDTH)
            cells = [
                cell(share.name),
                cell("█" * filled + "░" * (BAR_WIDTH - filled), style="cyan"),
                cell(fmt.share(share.share), True),
                cell(fmt.money(share.amount, share.currency), True),
            ]
            # converted: one row per provider; else one per provider and currency
            rows.append((f"spend:{share.currency}:{share.name}", cells))
        self._fill("spend", rows)
        countries = "; ".join(
            f"{s.name} {fmt.share(s.share)} of {s.currency}"
            for s in sorted(by_country, key=lambda s: -s.share)[:COUNTRIES]
        )
        over = (
            f"Share of all spend in {spread.spend.reporting}"
            if spread.converted
            else "Share of each currency's spend"
        )
        self.query_one("#panel-spend .panel-summary", Static).update(
            fmt.shown(
                f"{means.capitalize()}: {spread.spend.text()}. {over}, by provider; "
                f"by country: {countries or fmt.NONE}"
            )
        )

    def _title(self, panel_id: str, title: str) -> None:
        self.query_one(f"#panel-{panel_id}").border_title = title

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        kind, _, ident = str(event.row_key.value).partition(":")
        if kind == "spend":  # spend:<currency>:<provider name>
            kind, ident = "provider", ident.partition(":")[2]
        if kind == "provider":
            self.post_message(OpenRecord(kind, key={"name": ident}))
        else:
            self.post_message(OpenRecord(kind, int(ident)))

    @on(SourcingMatrix.Chosen)
    def _matrix_cell(self, event: SourcingMatrix.Chosen) -> None:
        choices = {"classification": event.classification, "sourcing": event.sourcing or "any"}
        self.post_message(ShowList("task", choices))
