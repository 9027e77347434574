"""Screen 7: the decision log, filterable by contract, maker, reversibility and status."""

from __future__ import annotations

from kpotui.tui.screens.list_screen import ListScreen
from kpotui.tui.widgets.filter_bar import Choice, Option, TextChoice


class DecisionsScreen(ListScreen):
    """Decisions, newest first; bold rows cannot be undone."""

    KIND = "decision"
    HELP = (
        "Which decisions were made, by whom (a provider or in-house) and whether they can "
        "be reversed. Bold rows (Undo? NO) cannot be undone. Type a contract code in the "
        "first box and press enter to see one contract's decisions."
    )
    FILTERS = (
        TextChoice("contract", "contract", "contract code", width=15),
        Choice(
            "made_by",
            (
                Option("any", "made by anyone"),
                Option("provider", "by a provider", {"made_by": "provider"}),
                Option("in-house", "in-house", {"made_by": "in-house"}),
            ),
            width=19,
        ),
        Choice(
            "reversible",
            (
                Option("any", "reversible or not"),
                Option("no", "irreversible", {"reversible": False}),
                Option("yes", "reversible", {"reversible": True}),
            ),
            width=22,
        ),
        Choice(
            "status",
            (
                Option("any", "any status"),
                *(Option(s, s, {"status": s}) for s in ("proposed", "ratified", "reversed")),
            ),
            width=15,
        ),
    )
