"""Edit one firm setting: type a value, enter saves it through the service.

A value the service refuses (not an ISO 4217 code, out of range, changed by someone else
meanwhile) keeps the dialog open with the service's own message under the field.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static
from textual.worker import Worker

from kpotui.services import settings
from kpotui.services.errors import ConflictError, ValidationError
from kpotui.tui.database import database_of
from kpotui.tui.feedback import report_worker_failure


class EditSetting(ModalScreen[bool]):
    """Returns True once the new value is saved, False when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="setting.cancel"),
    ]

    def __init__(self, state: settings.SettingState) -> None:
        super().__init__(classes="dialog-screen")
        self.state = state

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"Firm setting: {self.state.key}", classes="dialog-title")
            yield Static(self.state.description, classes="dialog-text")
            with Vertical(classes="field-row", id="setting-row"):
                with Horizontal(classes="field-line"):
                    yield Label("Value", classes="field-label")
                    yield Input(str(self.state.value), compact=True, id="setting-value")
                yield Static(f"default: {self.state.default}", classes="field-message")
            yield Static(
                "Enter saves for everyone on this database (audited); escape cancels.",
                classes="form-hint",
            )
        yield Footer()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self._save(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="setting")
    def _save(self, text: str) -> None:
        store = database_of(self).store()
        try:
            settings.set_value(store, self.state.key, text, version=self.state.version)
        except ValidationError as exc:
            self.app.call_from_thread(self._refused, exc.errors.get(self.state.key, str(exc)))
            return
        except ConflictError as exc:
            self.app.call_from_thread(self._refused, str(exc))
            return
        self.app.call_from_thread(self.dismiss, True)

    def _refused(self, message: str) -> None:
        self.query_one("#setting-row").add_class("-invalid")
        self.query_one(".field-message", Static).update(message)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_worker_failure(self, event)
