"""Screen 8: the agenda, every dated obligation grouped by when, and who must act.

Enter opens the record, ``m`` marks a deliverable, ``o`` shows one person's items, ``a``
acknowledges an item: it leaves the agenda until its date or its record changes.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from kpotui.services import agenda, agenda_acks
from kpotui.services.clock import today
from kpotui.services.errors import ConflictError, NotFoundError
from kpotui.tui import formatting as fmt
from kpotui.tui.dialogs.pick_person import PickPerson
from kpotui.tui.messages import OpenRecord, RecordsChanged, announce
from kpotui.tui.screens.editing import EditingScreen
from kpotui.tui.widgets.panel_table import PanelTable, cell

COLUMNS = (("Date", 10, False), ("What to do", 0, False), ("Record", 0, False), ("Who", 16, False))
GROUP_STYLE = {"Overdue": "bold red", "This week": "bold yellow"}
SHOWN = 100
"""Items listed at most per group (the status line counts them all)."""
SHOWS = frozenset({"provider", "contract", "deliverable", "note", "decision", agenda_acks.KIND})
"""The kinds of record items are about, and acknowledgements."""


class AgendaScreen(EditingScreen):
    """The agenda's items under group headings; the row key is the item's id."""

    HELP = (
        "Every dated obligation: deliverables due or overdue and awaiting review, notice "
        "deadlines (from the first lead time, firm setting agenda_lead_times), lapsed "
        "contracts, certifications expiring, security reviews due, notes to review and "
        "decisions still proposed; grouped as overdue, this week, the next 30 days and "
        "later, each with who must act. Enter opens the record, m marks a deliverable, o "
        "shows one person's items, a acknowledges the item (it comes back when its date "
        "or its record changes; u undoes). `kpotui agenda` prints the same for cron and mail."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "mark", "Mark", id="agenda.mark"),
        Binding("o", "owner", "Who", id="agenda.owner"),
        Binding("a", "acknowledge", "Acknowledge", id="agenda.acknowledge"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.owner: str | None = None
        """Only this person's items (None: everyone's)."""
        self.items: dict[str, agenda.Item] = {}
        self.people: list[str] = []

    def compose_body(self) -> ComposeResult:
        yield Static("Loading the agenda…", id="agenda-status")
        yield PanelTable(COLUMNS, id="agenda-items")

    def on_mount(self) -> None:
        self.query_one(PanelTable).focus()
        self._load()

    def shows(self) -> Collection[str]:
        return SHOWS

    def refresh_records(self, change: RecordsChanged) -> None:
        self._load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "acknowledge" and self.is_mounted and self.database.read_only:
            return False
        return super().check_action(action, parameters)

    @work(thread=True, exclusive=True, exit_on_error=False, group="agenda")
    def _load(self) -> None:
        store = self.database.store()
        day = today()
        groups, figures = agenda.grouped(store, day, owner=self.owner, limit=SHOWN)
        self.app.call_from_thread(self._show, groups, figures)

    def _show(self, groups: dict[str, list[agenda.Item]], figures: agenda.Figures | None) -> None:
        day = today()
        listed = [item for found in groups.values() for item in found]
        self.items = {item.id: item for item in listed}
        if self.owner is None:
            self.people = agenda.responsible_people(listed)
        rows: list[tuple[str, list[Text]]] = []
        for name, found in groups.items():
            if not found:
                continue
            count = f"first {SHOWN}" if len(found) == SHOWN else str(len(found))
            heading = cell(f"{name} ({count})", style=GROUP_STYLE.get(name, "bold"))
            rows.append((f"group:{name}", [cell(""), heading, cell(""), cell("")]))
            for item in found:
                late = "red" if item.day < day else ""
                rows.append(
                    (
                        item.id,
                        [
                            cell(fmt.day(item.day), style=late),
                            cell(item.action),
                            cell(f"{item.record_kind} {item.record_key}"),
                            cell(item.who),
                        ],
                    )
                )
        self.query_one(PanelTable).set_rows(rows)
        if figures is None:  # one person's: as listed
            figures = agenda.Figures(len(listed), len(groups[agenda.GROUPS[0]]))
        noun = "item" if figures.items == 1 else "items"
        who = self.owner or "everyone"
        self.query_one("#agenda-status", Static).update(
            fmt.shown(
                f"{figures.items:,} {noun}, {figures.overdue:,} overdue · responsible: {who} (o)"
            )
        )

    def _current(self) -> agenda.Item | None:
        table = self.query_one(PanelTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.items.get(str(key))

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        item = self.items.get(str(event.row_key.value))
        if item is not None:
            self.post_message(OpenRecord(item.record_kind, item.record_id))

    def action_mark(self) -> None:
        item = self._current()
        if item is None or item.record_kind != "deliverable":
            self.notify("Only a deliverable can be marked", severity="warning")
            return
        self.mark_deliverable(item.record_id)

    def action_owner(self) -> None:
        def chosen(name: str | None) -> None:
            if name is not None:
                self.owner = name or None
                self._load()

        self.app.push_screen(PickPerson(self.people, self.owner), chosen)

    def action_acknowledge(self) -> None:
        item = self._current()
        if item is not None and self.editable():
            self._acknowledge(item)

    @work(thread=True, exclusive=True, exit_on_error=False, group="acknowledge")
    def _acknowledge(self, item: agenda.Item) -> None:
        try:
            agenda_acks.acknowledge(
                self.database.store(),
                item_id=item.id,
                day=item.day,
                record_kind=item.record_kind,
                record_id=item.record_id,
                record_version=item.record_version,
            )
        except (ConflictError, NotFoundError) as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title="Not acknowledged", severity="error"
            )
            return
        announce(self, RecordsChanged(frozenset({agenda_acks.KIND})))
        self.app.call_from_thread(self.notify, f"Acknowledged: {item.action} · {item.record_key}")
