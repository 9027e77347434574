"""The core / non-core by in-house / outsourced matrix, with counts and monthly costs.

The crossings are the point: a core activity outsourced is a strategic risk; a non-core
one still in-house is a possible saving. Choosing a cell posts :class:`SourcingMatrix.Chosen`
so the screen can list the activities behind it.
"""

from __future__ import annotations

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
    from kpotui.services.insights import Matrix
    from kpotui.services.money import Total

ROWS = ("core", "non-core")
COLUMNS = ("in-house", "outsourced")
"""Outsourced includes hybrid: both hand knowledge to a provider."""


def per_currency(pairs: list[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """Amounts added up within each currency, never across."""
    sums: dict[str, Decimal] = {}
    for currency, amount in pairs:
        sums[currency] = sums.get(currency, Decimal()) + amount
    return sums


def _saving(paid: Total, would_be: Total) -> str:
    """`` (saves EUR 1,200 a month)`` in the reporting currency when both totals were
    converted, or per currency when all amounts are in one; else nothing to say."""
    if paid.converted is not None and would_be.converted is not None:
        saving, currency = would_be.converted - paid.converted, paid.reporting
    elif len(set(paid.native) | set(would_be.native)) == 1:
        (currency,) = set(paid.native) | set(would_be.native)
        saving = would_be.native.get(currency, Decimal()) - paid.native.get(currency, Decimal())
    else:
        return ""
    verb = "saves" if saving >= 0 else "costs"
    return f" ({verb} {fmt.money(abs(saving), currency)} a month)"


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

    def show(self, matrix: Matrix) -> None:
        """Fill in the figures from ``insights.sourcing_matrix``: costs per currency, and
        the outsourced totals converted where every currency has a rate."""
        counts: dict[tuple[str, str], int] = {}
        costs: dict[tuple[str, str], list[tuple[str, Decimal]]] = {}
        for cell in matrix.cells:
            column = "in-house" if cell.sourcing == "in-house" else "outsourced"
            key = (cell.classification, column)
            counts[key] = counts.get(key, 0) + cell.count
            spent = (
                cell.in_house_monthly_cost if column == "in-house" else cell.outsourced_monthly_cost
            )
            costs.setdefault(key, []).extend(spent.items())
        rows = []
        for row in ROWS:
            shown = [cell_text(row.capitalize())]
            for column in COLUMNS:
                count = counts.get((row, column), 0)
                mark = ""
                if count and (row, column) == ("non-core", "in-house"):
                    mark = " ↓"
                elif count and (row, column) == ("core", "outsourced"):
                    mark = " ⚠"
                amounts = fmt.amounts(per_currency(costs.get((row, column), [])))
                shown.append(cell_text(f"{count:,} · {amounts}/mo{mark}"))
            rows.append((row, shown))
        self.query_one(PanelTable).set_rows(rows)
        paid, would_be = matrix.outsourced_cost, matrix.outsourced_in_house_cost
        self.query_one(".matrix-summary", Static).update(
            f"Outsourced work costs {paid.text()} a month; in-house it would cost "
            f"{would_be.text()}{_saving(paid, would_be)}. ⚠ core outsourced: a strategic "
            "risk; ↓ non-core in-house: a possible saving."
        )

    @on(PanelTable.CellSelected)
    def _chosen(self, event: PanelTable.CellSelected) -> None:
        event.stop()
        row = ROWS[event.coordinate.row]
        sourcing = None if event.coordinate.column == 0 else COLUMNS[event.coordinate.column - 1]
        self.post_message(self.Chosen(row, sourcing))
