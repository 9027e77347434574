"""Turning failures into something a person can read: one place for every screen."""

from __future__ import annotations

import logging

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

from kpotui.services.errors import ServiceError
from kpotui.tui.database import READ_ONLY_REASON, CannotOpen

log = logging.getLogger(__name__)


def describe(error: BaseException) -> str:
    """A one-line message for ``error``: the service's own words when it has them."""
    if isinstance(error, ServiceError | CannotOpen):
        return str(error)
    from kpotui.store import ReadOnlyError, StoreError  # loaded already: the error came from it

    if isinstance(error, ReadOnlyError):
        return READ_ONLY_REASON
    if isinstance(error, StoreError):
        return str(error)
    original = getattr(error, "orig", None) or error
    first_line = (str(original).splitlines() or [""])[0]
    return f"unexpected error: {type(original).__name__}: {first_line}"


def report(node: DOMNode, error: BaseException) -> None:
    """Notify the user of ``error``; a database that cannot be opened ends the app."""
    if isinstance(error, CannotOpen):
        node.app.exit(return_code=1)  # run_app prints the reason once the screen is restored
        return
    if not isinstance(error, ServiceError):
        log.exception("worker failed", exc_info=error)
    node.app.notify(describe(error), title="Not done", severity="error", timeout=8)


def report_worker_failure(node: DOMNode, event: Worker.StateChanged) -> None:
    """The handler of ``Worker.StateChanged`` every screen and dialog delegates to."""
    if event.state == WorkerState.ERROR and event.worker.error is not None:
        report(node, event.worker.error)
