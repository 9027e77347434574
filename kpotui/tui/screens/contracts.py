"""Screen 2: the contracts (engagements) with the providers."""

from __future__ import annotations

from kpotui.tui.screens.list_screen import ListScreen
from kpotui.tui.widgets.filter_bar import Choice, Option


class ContractsScreen(ListScreen):
    """Every contract; enter opens its deliverables, activities, notes, decisions and history."""

    KIND = "contract"
    HELP = (
        "Every contract with a provider. Yellow rows are live contracts whose notice "
        "deadline is past or within 30 days. Enter opens a contract with its deliverables, "
        "activities, notes, decisions and history."
    )
    FILTERS = (
        Choice(
            "status",
            (
                Option("any", "any status"),
                Option("live", "live (active, on hold)", {"status": ["active", "on-hold"]}),
                Option("draft", "draft", {"status": "draft"}),
                Option("ended", "completed, terminated", {"status": ["completed", "terminated"]}),
            ),
            width=26,
        ),
    )
