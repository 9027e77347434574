"""A report's sections (:mod:`kpotui.reports`) as Rich tables, for a screen to show."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kpotui.reports.render import Report, Section
from kpotui.text import visible
from kpotui.tui import formatting as fmt

WIDEST = 40
"""Columns wrap beyond this width."""


def section_table(section: Section) -> RenderableType:
    """One section: its title, then its rows (or "(none)"); cells fold, never markup."""
    title = fmt.rich_text(section.title, style="bold")
    if not section.rows:
        return Group(title, Text("(none)", style="dim"), Text())
    table = Table(box=None, expand=False, show_edge=False, pad_edge=False, header_style="dim")
    for i, name in enumerate(section.columns):
        # Each column keeps its width (up to WIDEST): on a narrow terminal the screen
        # scrolls sideways rather than wrap every word.
        widest = max(len(visible(row[i])) for row in section.rows)
        table.add_column(name, overflow="fold", min_width=min(widest, WIDEST))
    for row in section.rows:
        table.add_row(*(fmt.rich_text(cell) for cell in row))
    return Group(title, table, Text())


def report_view(report: Report, *, title: bool = True) -> RenderableType:
    """Every section of ``report``, its title first unless told."""
    parts: list[RenderableType] = [section_table(s) for s in report.sections]
    if title:
        parts.insert(0, fmt.rich_text(report.title, style="bold"))
    return Group(*parts)
