"""Screen 2: the contracts (engagements) with the providers."""

from __future__ import annotations

from kpotui.services.horizons import NOTICE_WARNING_DAYS
from kpotui.services.statuses import LIVE_CONTRACT
from kpotui.tui.screens.list_screen import ListScreen
from kpotui.tui.widgets.filter_bar import Choice, Option

LIVE_NAMES = ", ".join(status.replace("-", " ") for status in LIVE_CONTRACT)
"""``active, on hold``."""


class ContractsScreen(ListScreen):
    """Every contract; enter opens its deliverables, activities, notes, decisions and history."""

    KIND = "contract"
    HELP = (
        "Every contract with a provider. Yellow rows are live contracts whose notice "
        f"deadline is past or within {NOTICE_WARNING_DAYS} days. Enter opens a contract with "
        "its deliverables, activities, notes, decisions and history."
    )
    FILTERS = (
        Choice(
            "status",
            (
                Option("any", "any status"),
                Option("live", f"live ({LIVE_NAMES})", {"status": list(LIVE_CONTRACT)}),
                Option("draft", "draft", {"status": "draft"}),
                Option("ended", "completed, terminated", {"status": ["completed", "terminated"]}),
            ),
            width=26,
        ),
    )
