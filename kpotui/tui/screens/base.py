"""What every screen shares: the top bar and footer, its database, one error handler, and
refreshing itself when records it shows change."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, ClassVar, Protocol, cast

from textual import events, on
from textual.app import ComposeResult
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.worker import Worker

from kpotui.tui.database import AppDatabase, database_of
from kpotui.tui.feedback import report, report_worker_failure
from kpotui.tui.messages import RecordsChanged
from kpotui.tui.widgets.nav_bar import NavBar

if TYPE_CHECKING:  # the dashboard, the first screen, has no VirtualTable to import
    from textual.signal import Signal

    from kpotui.tui.widgets.virtual_table import VirtualTable


class Announcing(Protocol):
    """The app: it publishes every announced change (see :class:`~kpotui.tui.app.KpoApp`)."""

    records_changed: Signal[RecordsChanged]


CHANGING_ACTIONS = frozenset({"new", "edit", "delete", "mark", "reset"})
"""Actions of the screens that write: hidden from the footer when nothing can be written."""


class KpoScreen(Screen[None]):
    """A full screen of the app: top bar, body (``compose_body``), footer with its keys.

    A screen showing records names their kinds (:meth:`shows`) and refreshes them in
    :meth:`refresh_records` when a change to one is announced: at once if it is in view
    (in front, or behind dialogs only), else when it comes back to the front.
    """

    HELP: ClassVar[str] = ""
    """What the screen is for, shown on its help screen above the keys."""

    def __init__(self) -> None:
        super().__init__()
        self._missed: RecordsChanged | None = None
        """Changes announced while another screen was in front."""

    def shows(self) -> Collection[str]:
        """The kinds of record on this screen (none: it refreshes on no change)."""
        return ()

    def refresh_records(self, change: RecordsChanged) -> None:
        """Load again what ``change`` may have changed, keeping the cursor."""

    @on(events.Mount)
    def _listen_for_changes(self) -> None:
        cast(Announcing, self.app).records_changed.subscribe(self, self._records_changed)

    def _records_changed(self, change: RecordsChanged) -> None:
        if not change.touches(self.shows()):
            return
        if self.in_view():
            self.refresh_records(change)
        else:
            self.defer(change)

    def in_view(self) -> bool:
        """True in front, or behind dialogs only (a form's screen stays in sight)."""
        stack = self.app.screen_stack
        if self not in stack:
            return False
        return all(isinstance(above, ModalScreen) for above in stack[stack.index(self) + 1 :])

    def defer(self, change: RecordsChanged) -> None:
        """Refresh for ``change`` when this screen comes back to the front."""
        self._missed = change if self._missed is None else self._missed.merge(change)

    @on(events.ScreenResume)
    def _catch_up(self) -> None:
        if self._missed is not None:
            change, self._missed = self._missed, None
            self.refresh_records(change)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Actions that change records are not offered (nor run) on a read-only database."""
        return not (action in CHANGING_ACTIONS and self.is_mounted and self.database.read_only)

    def compose(self) -> ComposeResult:
        yield NavBar()
        yield from self.compose_body()
        yield Footer(compact=True)

    def compose_body(self) -> ComposeResult:
        yield Widget()

    @property
    def database(self) -> AppDatabase:
        return database_of(self)

    def editable(self) -> bool:
        """True when changes are allowed; otherwise says why (read-only) and returns False."""
        if (reason := self.database.read_only_reason) is not None:
            self.notify(reason, title="Read-only", severity="warning")
            return False
        return True

    def on_screen_resume(self) -> None:
        """Redraw the top bar: the database's name is known once it is open."""
        for bar in self.query(NavBar):
            bar.update_content()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_worker_failure(self, event)

    def on_virtual_table_load_failed(self, event: VirtualTable.LoadFailed) -> None:
        report(self, event.error)
