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
from textual.widgets import Static

from kpotui.tui import formatting as fmt
from kpotui.tui.widgets.panel_table import PanelTable
from kpotui.tui.widgets.panel_table import cell as cell_text

if TYPE_CHECKING:
    from kpotui.services.insights import MatrixCell

ROWS = ("core", "non-core")
COLUMNS = ("in-house", "outsourced")
"""Outsourced includes hybrid: both hand knowledge to a provider."""
NOTHING = (0, Decimal(), Decimal())


class SourcingMatrix(Vertical):
    """A 2 x 2 table (one cell per crossing) and a line comparing costs."""

    class Chosen(Message):
        """A cell (or a row label: ``sourcing`` is None) was chosen."""

        def __init__(self, classification: str, sourcing: str | None) -> None:
            super().__init__()
            self.classification = classification
            self.sourcing = sourcing

    def compose(self) -> ComposeResult:
        columns = [("", 8, False), ("In-house", 0, False), ("Outsourced, hybrid", 0, False)]
        yield PanelTable(columns, cursor_type="cell")
        yield Static(classes="matrix-summary")

    def show(self, cells: Sequence[MatrixCell]) -> None:
        """Fill in the figures from ``insights.sourcing_matrix``."""
        totals: dict[tuple[str, str], tuple[int, Decimal, Decimal]] = {}
        for cell in cells:
            column = "in-house" if cell.sourcing == "in-house" else "outsourced"
            count, inside, outside = totals.get((cell.classification, column), NOTHING)
            totals[(cell.classification, column)] = (
                count + cell.count,
                inside + cell.in_house_monthly_cost,
                outside + cell.outsourced_monthly_cost,
            )
        rows = []
        for row in ROWS:
            count_in, cost_in, _ = totals.get((row, "in-house"), NOTHING)
            count_out, _, cost_out = totals.get((row, "outsourced"), NOTHING)
            mark_in = " ↓" if row == "non-core" and count_in else ""
            mark_out = " ⚠" if row == "core" and count_out else ""
            cells_shown = [
                cell_text(row.capitalize()),
                cell_text(f"{count_in:,} · {fmt.short_money(cost_in)}/mo{mark_in}"),
                cell_text(f"{count_out:,} · {fmt.short_money(cost_out)}/mo{mark_out}"),
            ]
            rows.append((row, cells_shown))
        self.query_one(PanelTable).set_rows(rows)
        outsourced = [totals.get((row, "outsourced"), NOTHING) for row in ROWS]
        would_be = sum((in_house for _, in_house, _ in outsourced), Decimal())
        paid = sum((cost for _, _, cost in outsourced), Decimal())
        saving = would_be - paid
        verb = "saves" if saving >= 0 else "costs"
        self.query_one(".matrix-summary", Static).update(
            f"Outsourced work costs {fmt.money(paid, cents=False)}/mo, in-house it would cost "
            f"{fmt.money(would_be, cents=False)}/mo ({verb} {fmt.money(abs(saving), cents=False)}"
            "/mo). ⚠ core outsourced: a strategic risk; ↓ non-core in-house: a possible saving."
        )

    @on(PanelTable.CellSelected)
    def _chosen(self, event: PanelTable.CellSelected) -> None:
        event.stop()
        row = ROWS[event.coordinate.row]
        sourcing = None if event.coordinate.column == 0 else COLUMNS[event.coordinate.column - 1]
        self.post_message(self.Chosen(row, sourcing))
