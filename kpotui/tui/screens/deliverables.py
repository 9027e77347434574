"""Screen 3: every deliverable across contracts, open work first, marked in a key or two."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from kpotui.services.horizons import DUE_SOON_DAYS
from kpotui.services.statuses import OPEN_DELIVERABLE
from kpotui.tui.screens.list_screen import ListScreen
from kpotui.tui.widgets.filter_bar import Choice, Option


class DeliverablesScreen(ListScreen):
    """Open work by due date (so overdue comes first); ``m`` marks the one under the cursor."""

    KIND = "deliverable"
    HELP = (
        "What the providers owe. The first view lists open work (planned, in progress, "
        "rework) by due date, so overdue items (red) come first, then those due within "
        f"{DUE_SOON_DAYS} days (yellow). m marks the deliverable under the cursor: "
        "s submitted, a accepted or r rework followed by a quality score 1-5."
    )
    FILTERS = (
        Choice(
            "view",
            (
                Option("open", "open work", {"status": list(OPEN_DELIVERABLE)}),
                Option("review", "awaiting review", {"status": "submitted"}),
                Option("accepted", "accepted", {"status": "accepted"}),
                Option("all", "all deliverables"),
            ),
        ),
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "mark", "Mark", id="deliverables.mark"),
        Binding("delete", "delete", "Delete", id="list.delete", show=False),
    ]
    """Delete stays (see ``?``) but leaves the footer to Mark: 80 columns hold no more."""

    def action_mark(self) -> None:
        record_id = self._current_id()
        if record_id is not None:
            self.mark_deliverable(record_id)
