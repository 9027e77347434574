"""A small table for a dashboard panel: flexible columns share the width the others leave,
so the table fits its panel at 80 columns and at 200 without a horizontal scroll."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from kpotui.text import on_screen

ColumnSpec = tuple[str, int, bool]
"""Label, width (0: a share of what the others leave), right-aligned."""

MIN_FLEXIBLE = 8
SCROLLBAR = 1
"""Room kept for a vertical scrollbar (the CSS makes it one cell wide)."""


def left(label: str, width: int = 0) -> ColumnSpec:
    """A column of text; width 0 takes what the others leave."""
    return (label, width, False)


def cell(text: str, right: bool = False, style: str = "") -> Text:
    """One cell's text: no wrapping, numbers right-aligned, control characters visible."""
    return Text(
        on_screen(text),
        style=style,
        justify="right" if right else "left",
        no_wrap=True,
        overflow="ellipsis",
    )


class PanelTable(DataTable[Text]):
    """Rows keyed by what they open (``"contract:7"``); ``set_rows`` replaces them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", id="panel.open"),
    ]

    def __init__(
        self,
        columns: Sequence[ColumnSpec],
        *,
        cursor_type: Literal["row", "cell"] = "row",
        id: str | None = None,
    ) -> None:
        super().__init__(cursor_type=cursor_type, show_cursor=False, id=id)
        self.spec = tuple(columns)
        self._rows: list[tuple[str, list[Text]]] = []
        self._laid_out_for = -1

    def on_mount(self) -> None:
        self._lay_out()

    def on_focus(self) -> None:
        self.show_cursor = True  # only the panel in use marks a row

    def on_blur(self) -> None:
        self.show_cursor = False

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
        shares = sum(1 for _, width, _ in self.spec if not width) or 1
        flexible = max(MIN_FLEXIBLE, (self.size.width - fixed - SCROLLBAR) // shares)
        cursor = self.cursor_coordinate
        self.clear(columns=True)
        for label, width, right in self.spec:
            self.add_column(cell(label, right), width=width or flexible)
        for key, cells in self._rows:
            self.add_row(*cells, key=key)
        if self._rows:
            row = min(cursor.row, len(self._rows) - 1)
            self.move_cursor(row=row, column=cursor.column, animate=False)
