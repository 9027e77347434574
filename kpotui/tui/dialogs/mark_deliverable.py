"""Change a deliverable's status in a key or two, with the date and a quality score.

``s`` submitted and ``i`` in progress save at once; after ``a`` accepted or ``r`` rework a
digit 1-5 gives the quality score and saves (enter saves without one). The date is
today unless changed: tab moves from the status to the date and on to the quality, shift+tab
back, so a date can be typed and then a status chosen.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static
from textual.worker import Worker

from kpotui.services import records, writes
from kpotui.services.clock import today
from kpotui.services.errors import ConflictError, ValidationError
from kpotui.services.fields import kind_spec
from kpotui.services.marking import SCORED, mark_changes
from kpotui.tui import formatting as fmt
from kpotui.tui.database import database_of
from kpotui.tui.feedback import report_worker_failure

STATUSES = {
    "s": "submitted",
    "a": "accepted",
    "r": "rework",
    "i": "in-progress",
    "p": "planned",
    "c": "cancelled",
}
"""Key -> status; after a status that takes a score (``SCORED``) the score key saves."""


class KeyChoices(Static):
    """A line of choices made with the dialog's keys; it takes the focus, so that tab can
    leave the date for it (and the date field no longer swallows the letters)."""

    can_focus = True


class MarkDeliverable(ModalScreen[dict[str, Any] | None]):
    """Returns the deliverable as saved, or None."""

    AUTO_FOCUS = "#mark-status"  # keys choose the status; tab reaches the date
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(key, f"status('{status}')", status, id=f"mark.{status}", show=False)
            for key, status in STATUSES.items()
        ),
        *(
            Binding(
                str(score), f"score({score})", "quality", show=False, id=f"mark.quality_{score}"
            )
            for score in range(1, 6)
        ),
        Binding("enter", "save", "Save", id="mark.save"),
        Binding("escape", "cancel", "Cancel", id="mark.cancel"),
    ]

    def __init__(self, record: Mapping[str, Any]) -> None:
        super().__init__(classes="dialog-screen")
        self.record = dict(record)
        self.status: str = record["status"]
        self.score: int | None = record["quality_score"]

    def compose(self) -> ComposeResult:
        key = records.key_text(kind_spec("deliverable"), self.record)
        with Vertical(classes="dialog mark"):
            yield Static(fmt.shown(f"Mark {key}"), classes="dialog-title")
            yield KeyChoices(id="mark-status", classes="key-choices")
            with Horizontal(classes="field-line"):
                yield Label("Date", classes="field-label")
                yield Input(today().isoformat(), compact=True, id="mark-date")
            yield KeyChoices(id="mark-score", classes="key-choices")
            yield Static(
                "A letter sets the status; after accepted or rework, 1-5 gives the quality "
                "and saves. Enter saves as shown; tab goes to the date and on, shift+tab back.",
                classes="form-hint",
            )
        yield Footer()

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        statuses = [
            self._chip(f"{key} {status}", status == self.status) for key, status in STATUSES.items()
        ]
        scores = [self._chip(f" {score} ", score == self.score) for score in range(1, 6)]
        hint = "" if self.status in SCORED else "   (for accepted or rework)"
        self.query_one("#mark-status", KeyChoices).update(
            Content.assemble("Status  ", Content(" ").join(statuses))
        )
        self.query_one("#mark-score", KeyChoices).update(
            Content.assemble("Quality ", Content(" ").join(scores), hint)
        )

    @staticmethod
    def _chip(text: str, chosen: bool) -> Content:
        return Content.styled(text, "reverse bold" if chosen else "")

    def action_status(self, status: str) -> None:
        self.status = status
        self._show()
        if status not in SCORED:
            self.action_save()

    def action_score(self, score: int) -> None:
        self.score = score
        self._show()
        if self.status in SCORED:
            self.action_save()

    @on(Input.Submitted)
    def _date_entered(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        try:
            when = date.fromisoformat(self.query_one("#mark-date", Input).value.strip())
        except ValueError:
            self.notify("The date must be YYYY-MM-DD", severity="error")
            return
        self._save(mark_changes(self.record, self.status, when, self.score))

    @work(thread=True, exclusive=True, exit_on_error=False, group="mark")
    def _save(self, changes: dict[str, Any]) -> None:
        store = database_of(self).store()
        try:
            saved = writes.update(
                store, "deliverable", self.record["id"], changes, version=self.record["version"]
            )
        except (ValidationError, ConflictError) as exc:
            self.app.call_from_thread(self.notify, str(exc), title="Not saved", severity="error")
            return
        self.app.call_from_thread(self.dismiss, saved)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_worker_failure(self, event)
