"""``u`` from anywhere: undo your own last change, after saying exactly what it was.

The preview and the undo each run in a thread worker on the app; their refusals
(:class:`~kpotui.services.errors.UndoError`: nothing to undo, someone else changed the
record since...) reach the user through the app's worker-failure handler.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual.screen import ModalScreen

from kpotui.tui.database import database_of
from kpotui.tui.dialogs.confirm import ConfirmDialog
from kpotui.tui.messages import RecordsChanged, announce

if TYPE_CHECKING:
    from textual.app import App

    from kpotui.services.undo import UndoPlan


def start_undo(app: App[Any]) -> None:
    """Find what would be undone (in a worker), then ask before undoing it."""
    if isinstance(app.screen, ModalScreen):
        return  # a dialog is open: it has the keyboard
    if (reason := database_of(app).read_only_reason) is not None:
        app.notify(reason, title="Read-only", severity="warning")
        return
    app.run_worker(
        partial(_preview, app), thread=True, exclusive=True, group="undo", exit_on_error=False
    )


def _preview(app: App[Any]) -> None:
    from kpotui.services.undo import preview_undo

    plan = preview_undo(database_of(app).store())
    app.call_from_thread(_confirm, app, plan)


def _confirm(app: App[Any], plan: UndoPlan) -> None:
    question = f"Undo {plan.description}?\nThe undo is itself recorded in the audit trail."

    def answered(yes: bool | None) -> None:
        if yes:
            app.run_worker(
                partial(_undo, app, plan),
                thread=True,
                exclusive=True,
                group="undo",
                exit_on_error=False,
            )

    app.push_screen(ConfirmDialog("Undo", question, yes="Undo"), answered)


def _undo(app: App[Any], plan: UndoPlan) -> None:
    from kpotui.services.undo import undo_last

    description = undo_last(database_of(app).store(), expected=plan)
    announce(app, RecordsChanged())  # which kinds the undo touched is not told: any
    app.call_from_thread(app.notify, f"Undone: {description}", title="Undo")
