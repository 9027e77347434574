"""The core / non-core by in-house / outsourced matrix, with counts and monthly costs.

The crossings are the point: a core activity outsourced is a strategic risk; a non-core
one still in-house is a possible saving. Choosing a cell posts :class:`SourcingMatrix.Chosen`
so the screen can list the activities behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from kpotui.tui import formatting as fmt

if TYPE_CHECKING:
    from kpotui.services.insights import MatrixCell

ROWS = ("core", "non-core")
COLUMNS = ("in-house", "outsourced")
"""Outsourced includes hybrid: both hand knowledge to a provider."""


class SourcingMatrix(Vertical):
    """A 2 x 2 table (one cell per crossing) and a line comparing costs."""

    class Chosen(Message):
        """A cell (or a row label: ``sourcing`` is None) was chosen."""

        def __init__(self, classification: str, sourcing: str | None) -> None:
            super().__init__()
            self.classification = classification
            self.sourcing = sourcing

    def compose(self) -> ComposeResult:
        table: DataTable[str] = DataTable(cursor_type="cell", zebra_stripes=False)
        table.add_column("", width=8)
        table.add_column("In-house", width=19)
        table.add_column("Outsourced, hybrid", width=20)
        yield table
        yield Static(classes="matrix-summary")

    def show(self, cells: Sequence[MatrixCell]) -> None:
        """Fill in the figures from ``insights.sourcing_matrix``."""
        table = self.query_one(DataTable)
        table.clear()
        totals: dict[tuple[str, str], tuple[int, Decimal, Decimal]] = {}
        for cell in cells:
            column = "in-house" if cell.sourcing == "in-house" else "outsourced"
            count, inside, outside = totals.get(
                (cell.classification, column), (0, Decimal(), Decimal())
            )
            totals[(cell.classification, column)] = (
                count + cell.count,
                inside + cell.in_house_monthly_cost,
                outside + cell.outsourced_monthly_cost,
            )
        for row in ROWS:
            count_in, cost_in, _ = totals.get((row, "in-house"), (0, Decimal(), Decimal()))
            count_out, _, cost_out = totals.get((row, "outsourced"), (0, Decimal(), Decimal()))
            mark_in = " ↓" if row == "non-core" and count_in else ""
            mark_out = " ⚠" if row == "core" and count_out else ""
            table.add_row(
                row.capitalize(),
                f"{count_in:>2} · {fmt.money(cost_in, cents=False)}/mo{mark_in}",
                f"{count_out:>2} · {fmt.money(cost_out, cents=False)}/mo{mark_out}",
                key=row,
            )
        _, would_be, paid = self._sum(totals, "outsourced")
        saving = would_be - paid
        verb = "saves" if saving >= 0 else "costs"
        self.query_one(".matrix-summary", Static).update(
            f"Outsourced work costs {fmt.money(paid, cents=False)}/mo, in-house it would cost "
            f"{fmt.money(would_be, cents=False)}/mo ({verb} {fmt.money(abs(saving), cents=False)}"
            "/mo). ⚠ core outsourced: a strategic risk; ↓ non-core in-house: a possible saving."
        )

    @staticmethod
    def _sum(
        totals: dict[tuple[str, str], tuple[int, Decimal, Decimal]], column: str
    ) -> tuple[int, Decimal, Decimal]:
        parts = [totals.get((row, column), (0, Decimal(), Decimal())) for row in ROWS]
        return (
            sum(p[0] for p in parts),
            sum((p[1] for p in parts), Decimal()),
            sum((p[2] for p in parts), Decimal()),
        )

    @on(DataTable.CellSelected)
    def _chosen(self, event: DataTable.CellSelected) -> None:
        event.stop()
        row = ROWS[event.coordinate.row]
        sourcing = None if event.coordinate.column == 0 else COLUMNS[event.coordinate.column - 1]
        self.post_message(self.Chosen(row, sourcing))
