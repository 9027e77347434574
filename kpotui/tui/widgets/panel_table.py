"""A small table for a dashboard panel: one flexible column takes the width the others
leave, so the table fits its panel at 80 columns and at 200 without a horizontal scroll."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

ColumnSpec = tuple[str, int, bool]
"""Label, width (0: takes what is left), right-aligned."""

MIN_FLEXIBLE = 8
SCROLLBAR = 1
"""Room kept for a vertical scrollbar (the CSS makes it one cell wide)."""


def cell(text: str, right: bool = False, style: str = "") -> Text:
    """One cell's text: no wrapping, numbers right-aligned."""
    return Text(
        text, style=style, justify="right" if right else "left", no_wrap=True, overflow="ellipsis"
    )


class PanelTable(DataTable[Text]):
    """Rows keyed by what they open (``"contract:7"``); ``set_rows`` replaces them."""

    def __init__(self, columns: Sequence[ColumnSpec], *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", id=id)
        self.spec = tuple(columns)
        self._rows: list[tuple[str, list[Text]]] = []
        self._laid_out_for = -1

    def on_mount(self) -> None:
        self._lay_out()

    def on_resize(self) -> None:
        if self.size.width != self._laid_out_for:
            self._lay_out()

    def set_rows(self, rows: Sequence[tuple[str, list[Text]]]) -> None:
        self._rows = list(rows)
        self._lay_out()

    def _lay_out(self) -> None:
        """Rebuild columns for the current width, then the rows, keeping the cursor row."""
        self._laid_out_for = self.size.width
        fixed = sum(width for _, width, _ in self.spec) + 2 * self.cell_padding * len(self.spec)
        flexible = max(MIN_FLEXIBLE, self.size.width - fixed - SCROLLBAR)
        cursor = self.cursor_row
        self.clear(columns=True)
        for label, width, right in self.spec:
            self.add_column(cell(label, right), width=width or flexible)
        for key, cells in self._rows:
            self.add_row(*cells, key=key)
        if self._rows:
            self.move_cursor(row=min(cursor, len(self._rows) - 1), animate=False)
