"""The form that creates or edits any kind of record, built from the kind's field specs.

Values are checked as they are typed; saving hands them to the services, whose field
messages appear next to the fields. A save that meets someone else's newer version opens
the conflict dialog: nothing is overwritten without the user saying so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static
from textual.worker import Worker

from kpotui.services import records, writes
from kpotui.services.errors import ConflictError, ValidationError
from kpotui.services.fields import kind_spec
from kpotui.services.records import Record
from kpotui.tui import formatting as fmt
from kpotui.tui.database import database_of
from kpotui.tui.dialogs.confirm import ConfirmDialog
from kpotui.tui.dialogs.conflict import ConflictDialog
from kpotui.tui.feedback import report_worker_failure
from kpotui.tui.messages import RecordsChanged, announce
from kpotui.tui.widgets.field_row import FieldRow
from kpotui.tui.widgets.record_list import nouns


class RecordForm(ModalScreen[Record | None]):
    """Returns the record as stored after a save, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+o", "preview", "Preview", id="form.preview"),
    ]

    def __init__(
        self,
        kind: str,
        record: Mapping[str, Any] | None = None,
        *,
        prefill: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.spec = kind_spec(kind)
        self.record = dict(record) if record is not None else None
        self.prefill = dict(prefill or {})

    def compose(self) -> ComposeResult:
        values = self.record or {
            f.name: self.prefill.get(f.name, f.default) for f in self.spec.fields
        }
        with Vertical(classes="dialog form"):
            yield Static(fmt.shown(self._title()), classes="dialog-title")
            fields = VerticalScroll(classes="form-fields")
            fields.can_focus = False  # tab goes from field to field; the view follows
            with fields:
                for field in self.spec.fields:
                    yield FieldRow(field, values.get(field.name), database_of(self))
            yield Static("* required", classes="form-hint")
        yield Footer()

    def _title(self) -> str:
        noun = nouns(self.spec.name)[0]
        if self.record is None:
            return f"New {noun}"
        return f"Edit {noun} {records.key_text(self.spec, self.record)}"

    def on_mount(self) -> None:
        self._initial = self._raw()
        rows = list(self.query(FieldRow))
        if self.record is None:  # a new record: start at the first field not prefilled
            rows = [row for row in rows if row.raw() in ("", None)] or rows
        rows[0].editor.focus()

    def _rows(self) -> dict[str, FieldRow]:
        return {row.spec.name: row for row in self.query(FieldRow)}

    def _raw(self) -> dict[str, Any]:
        return {name: row.raw() for name, row in self._rows().items()}

    def _changes(self) -> dict[str, Any]:
        """What the user changed (an update sends only that)."""
        raw = self._raw()
        return {name: value for name, value in raw.items() if value != self._initial[name]}

    def has_unsaved_changes(self) -> bool:
        """True when quitting would lose something typed (the app asks first)."""
        return bool(self._changes())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "preview":
            return any(row.spec.markdown for row in self.query(FieldRow))
        return True

    def action_preview(self) -> None:
        for row in self.query(FieldRow):
            if row.toggle_preview():
                row.scroll_visible()

    def action_save(self) -> None:
        for row in self.query(FieldRow):
            row.check()
        if self.record is None:
            raw = {name: value for name, value in self._raw().items() if value not in ("", None)}
            self._save(raw, None)
        elif not self._changes():
            self.dismiss(self.record)
        else:
            self._save(self._changes(), self.record["version"])

    @work(thread=True, exclusive=True, exit_on_error=False, group="form-save")
    def _save(self, raw: dict[str, Any], version: int | None) -> None:
        store = database_of(self).store()
        try:
            if self.record is None:
                saved = writes.create(store, self.spec.name, raw)
            else:
                saved = writes.update(
                    store, self.spec.name, self.record["id"], raw, version=version
                )
        except ValidationError as exc:
            self.app.call_from_thread(self._show_errors, exc.errors)
        except ConflictError as exc:
            self.app.call_from_thread(self._conflict, raw, exc)
        else:
            self.app.call_from_thread(self.dismiss, saved)

    def _show_errors(self, errors: Mapping[str, str]) -> None:
        rows = self._rows()
        for name, row in rows.items():
            row.show_error(errors.get(name))
        first = next((rows[name] for name in rows if name in errors), None)
        if first is not None:
            first.editor.focus()
        elsewhere = {name: message for name, message in errors.items() if name not in rows}
        summary = "; ".join(f"{name}: {message}" for name, message in elsewhere.items())
        self.notify(summary or "Some fields need attention", title="Not saved", severity="error")

    def _conflict(self, mine: dict[str, Any], error: ConflictError) -> None:
        theirs = error.current
        if theirs is None:
            self.notify(str(error), title="Not saved", severity="error")
            return

        def decided(choice: str | None) -> None:
            if choice == "reload":
                self.record = theirs
                for name, row in self._rows().items():
                    row.set_value(theirs.get(name))
                self._initial = self._raw()
                self.notify("Showing their version; make your change again if still needed.")
                # the screens behind show the old version too
                announce(self, RecordsChanged.of(self.spec.name, theirs["id"]))
            elif choice == "overwrite":
                self._save(mine, theirs["version"])

        self.app.push_screen(ConflictDialog(self.spec, mine, theirs), decided)

    def action_cancel(self) -> None:
        if not self._changes():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog("Unsaved changes", "Discard your changes?", yes="Discard"), answered
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_worker_failure(self, event)
