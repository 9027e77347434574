"""New, edit, mark and delete: the flows list and detail screens share.

Each loads what it needs in a worker, opens a dialog, writes through the services in a
worker, then announces which record changed (:func:`~kpotui.tui.messages.announce`):
every screen showing that kind refreshes itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from textual import work

from kpotui.services import records, writes
from kpotui.services.errors import ReferencedError
from kpotui.services.fields import kind_spec
from kpotui.services.records import Record
from kpotui.tui.dialogs.confirm import ConfirmDialog
from kpotui.tui.dialogs.mark_deliverable import MarkDeliverable
from kpotui.tui.dialogs.record_form import RecordForm
from kpotui.tui.messages import RecordsChanged, announce
from kpotui.tui.screens.base import KpoScreen
from kpotui.tui.widgets.record_list import nouns


class EditingScreen(KpoScreen):
    """A screen whose records can be created, edited, marked and deleted."""

    def new_record(self, kind: str, prefill: Mapping[str, Any] | None = None) -> None:
        if self.editable():
            self.app.push_screen(RecordForm(kind, prefill=prefill), partial(self._saved, kind))

    def edit_record(self, kind: str, record_id: int) -> None:
        if self.editable():
            self._fetch_for(kind, record_id, "edit")

    def mark_deliverable(self, record_id: int) -> None:
        if self.editable():
            self._fetch_for("deliverable", record_id, "mark")

    def delete_record(self, kind: str, record_id: int) -> None:
        if self.editable():
            self._fetch_for(kind, record_id, "delete")

    @work(thread=True, exclusive=True, exit_on_error=False, group="load-record")
    def _fetch_for(self, kind: str, record_id: int, purpose: str) -> None:
        record = records.get(self.database.store(), kind, record_id)
        self.app.call_from_thread(self._open_dialog, kind, record, purpose)

    def _open_dialog(self, kind: str, record: Record, purpose: str) -> None:
        if purpose == "edit":
            self.app.push_screen(RecordForm(kind, record), partial(self._saved, kind))
        elif purpose == "mark":
            self.app.push_screen(MarkDeliverable(record), partial(self._saved, kind))
        else:
            key = records.key_text(kind_spec(kind), record)
            question = f"Delete the {nouns(kind)[0]} {key}?\nThe audit trail keeps what it held."

            def answered(yes: bool | None) -> None:
                if yes:
                    self._delete(kind, record)

            self.app.push_screen(ConfirmDialog("Delete", question, yes="Delete"), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="delete")
    def _delete(self, kind: str, record: Record) -> None:
        try:
            writes.delete(self.database.store(), kind, record["id"], version=record["version"])
        except ReferencedError as exc:
            self.app.call_from_thread(
                self.notify, str(exc), title="Not deleted", severity="error", timeout=12
            )
            return
        announce(self, RecordsChanged.of(kind, record["id"], deleted=True))
        key = records.key_text(kind_spec(kind), record)
        self.app.call_from_thread(self.notify, f"Deleted {nouns(kind)[0]} {key}")

    def _saved(self, kind: str, record: Record | None) -> None:
        if record is None:
            return
        self.notify(f"Saved {nouns(kind)[0]} {records.key_text(kind_spec(kind), record)}")
        announce(self, RecordsChanged.of(kind, record["id"]))
