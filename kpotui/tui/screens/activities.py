"""Screen 4: the firm's activity inventory, classified and sourced, with the 2 x 2 matrix."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult

from kpotui.services import insights
from kpotui.tui.messages import RecordsChanged
from kpotui.tui.screens.list_screen import ListScreen
from kpotui.tui.widgets.filter_bar import Choice, Option
from kpotui.tui.widgets.sourcing_matrix import SourcingMatrix


class ActivitiesScreen(ListScreen):
    """The inventory; choosing a matrix cell lists the activities behind it."""

    KIND = "task"
    HELP = (
        "Every activity of the firm, classified core or non-core and sourced in-house, "
        "outsourced or hybrid. The matrix counts them with their monthly cost: a core "
        "activity outsourced is a strategic risk, a non-core one in-house a possible saving. "
        "Enter on a matrix cell lists those activities; yellow rows are outsourced core "
        "activities without an internal owner."
    )
    FILTERS = (
        Choice(
            "classification",
            (
                Option("any", "core and non-core"),
                Option("core", "core", {"classification": "core"}),
                Option("non-core", "non-core", {"classification": "non-core"}),
            ),
        ),
        Choice(
            "sourcing",
            (
                Option("any", "any sourcing"),
                Option("in-house", "in-house", {"sourcing": "in-house"}),
                Option(
                    "outsourced", "outsourced or hybrid", {"sourcing": ["outsourced", "hybrid"]}
                ),
            ),
            width=24,
        ),
    )

    def compose_extra(self) -> ComposeResult:
        yield SourcingMatrix(id="matrix")

    def on_mount(self) -> None:
        self._load_matrix()

    def refresh_records(self, change: RecordsChanged) -> None:
        super().refresh_records(change)
        self._load_matrix()

    @work(thread=True, exclusive=True, exit_on_error=False, group="matrix")
    def _load_matrix(self) -> None:
        matrix = insights.sourcing_matrix(self.database.store())
        self.app.call_from_thread(self.query_one(SourcingMatrix).show, matrix)

    @on(SourcingMatrix.Chosen)
    def _matrix_cell(self, event: SourcingMatrix.Chosen) -> None:
        self.choose({"classification": event.classification, "sourcing": event.sourcing or "any"})
        self.records.focus_table()
