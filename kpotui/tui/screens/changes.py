"""``c`` from anywhere: who changed what across the firm, newest first (the audit trail).

The same events as ``kpotui log``, filtered by kind, account and age in the filter bar;
enter opens the record of the highlighted event, or says when it was deleted. Reading
and wording the events is the services' (:mod:`kpotui.services.change_log`).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from kpotui.services import audit, change_log, settings
from kpotui.tui.messages import OpenRecord, RecordsChanged
from kpotui.tui.screens.base import KpoScreen
from kpotui.tui.widgets.filter_bar import Choice, FilterBar, Option, TextChoice
from kpotui.tui.widgets.panel_table import PanelTable, cell, left

LIMIT = 500
"""Events shown at most: the newest; ``kpotui log`` reaches further back."""
AGES = {"any": None, "1d": 1, "7d": 7, "30d": 30}
"""Since-choice -> days back."""
CHOICES = (
    Choice(
        "kind",
        [
            Option("", "any kind"),
            *(Option(kind, spellings[0]) for kind, spellings in change_log.KIND_SPELLINGS.items()),
        ],
        width=18,
    ),
    Choice(
        "since",
        [
            Option("any", "any time"),
            Option("1d", "last 24 hours"),
            Option("7d", "last 7 days"),
            Option("30d", "last 30 days"),
        ],
        width=18,
    ),
    TextChoice("actor", "actor", "account, enter", width=20),
)
COLUMNS = (
    left("When", 16),
    left("Who", 8),
    left("Action", 6),
    left("Kind", 11),
    left("Record", 16),
    left("Changes"),
)
"""The changes take the width the others leave (no sideways scroll at 80 columns)."""


class ChangesScreen(KpoScreen):
    """The audit trail of every record as a table, newest first."""

    HELP = (
        "Every change to the firm's records and settings, newest first, deleted records "
        "included: who made it, when (your local time) and what changed. Narrow it by kind, "
        "age or account (type it, then enter). Enter opens the record, or says when it was "
        "deleted. The same as 'kpotui log' on the command line."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="changes.back"),
        Binding("r", "reload", "Reload", show=False, id="changes.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.events: list[dict[str, Any]] = []

    def compose_body(self) -> ComposeResult:
        yield Static("Changes across the firm", classes="detail-title")
        yield FilterBar(CHOICES, id="changes-filter")
        yield PanelTable(COLUMNS, id="changes")

    def shows(self) -> Collection[str]:
        return (*change_log.KIND_SPELLINGS,)

    def refresh_records(self, change: RecordsChanged) -> None:
        self.action_reload()

    def on_mount(self) -> None:
        self.query_one(PanelTable).focus()
        self.action_reload()

    def log_filter(self) -> audit.LogFilter:
        """The filter the bar's choices make."""
        chosen = self.query_one(FilterBar).chosen()
        days = AGES.get(chosen.get("since", "any"))
        actor = chosen.get("actor", "").strip()
        return audit.LogFilter(
            since=datetime.now(UTC) - timedelta(days=days) if days else None,
            actor=actor or None,
            kind=chosen.get("kind") or None,
        )

    @on(FilterBar.Changed)
    def _filter_changed(self) -> None:
        self.action_reload()

    @work(thread=True, exclusive=True, exit_on_error=False, group="changes")
    def action_reload(self) -> None:
        events = audit.recent(self.database.store(), flt=self.log_filter(), limit=LIMIT)
        self.app.call_from_thread(self._show, events)

    def _show(self, events: list[dict[str, Any]]) -> None:
        self.events = events
        rows = []
        for event in events:
            when = change_log.event_time(event).astimezone()
            texts = (
                f"{when:%Y-%m-%d %H:%M}",
                event["actor"],  # cut to its column, with an ellipsis
                event["action"],
                change_log.noun(event["kind"]),
                event["key"],
                change_log.changes_text(event["changes"]),
            )
            rows.append((str(event["id"]), [cell(text) for text in texts]))
        self.query_one(PanelTable).set_rows(rows)  # the cursor stays on its row

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.events):
            self._open(self.events[event.cursor_row])

    @work(thread=True, exclusive=True, exit_on_error=False, group="changes-open")
    def _open(self, event: dict[str, Any]) -> None:
        kind, record_id = event["kind"], event["record_id"]
        deleted = change_log.deleted_at(self.database.store(), kind, record_id)
        self.app.call_from_thread(self._go_to, event, deleted)

    def _go_to(self, event: dict[str, Any], deleted: datetime | None) -> None:
        if deleted is not None:
            when = deleted.astimezone()
            noun = change_log.noun(event["kind"])
            self.notify(f"{noun} {event['key']} was deleted on {when:%Y-%m-%d %H:%M}")
        elif event["kind"] == settings.KIND:
            from kpotui.tui.screens.settings import SettingsScreen

            self.app.push_screen(SettingsScreen())
        else:
            self.post_message(OpenRecord(event["kind"], event["record_id"]))

    def action_back(self) -> None:
        self.app.pop_screen()
