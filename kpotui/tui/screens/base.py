"""What every screen shares: the top bar and footer, its session, one error handler."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.worker import Worker

from kpotui.tui.feedback import report, report_worker_failure
from kpotui.tui.session import READ_ONLY_REASON, Session, session_of
from kpotui.tui.widgets.nav_bar import NavBar

if TYPE_CHECKING:  # the dashboard, the first screen, has no VirtualTable to import
    from kpotui.tui.widgets.virtual_table import VirtualTable


class KpoScreen(Screen[None]):
    """A full screen of the app: top bar, body (``compose_body``), footer with its keys."""

    HELP: ClassVar[str] = ""
    """What the screen is for, shown on its help screen above the keys."""

    def compose(self) -> ComposeResult:
        yield NavBar()
        yield from self.compose_body()
        yield Footer(compact=True)

    def compose_body(self) -> ComposeResult:
        yield Widget()

    @property
    def session(self) -> Session:
        return session_of(self)

    def editable(self) -> bool:
        """True when changes are allowed; otherwise says why (read-only) and returns False."""
        if self.session.read_only:
            self.notify(READ_ONLY_REASON, title="Read-only", severity="warning")
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
