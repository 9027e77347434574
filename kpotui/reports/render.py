"""Rendering reports and record lists: plain aligned text, Markdown and JSON.

Terminal rendering (Rich tables) is the CLI's; the plain forms here are for pipes, files
and scripts, and never depend on the terminal's width. Every cell and title is shown
through :func:`kpotui.text.visible`: a control character in the data is written as an
escape, never raw.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rich.cells import cell_len

from kpotui.services.fields import FieldType, KindSpec
from kpotui.services.records import Record, json_safe
from kpotui.text import json_visible, money_figure, visible


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Report:
    title: str
    data: dict[str, Any]
    """JSON-safe: dates as ``YYYY-MM-DD``, money as two-decimal strings."""
    sections: list[Section]


def render_json(report: Report) -> str:
    return json_visible(json.dumps(report.data, ensure_ascii=False, indent=2)) + "\n"


def aligned_lines(columns: list[str], rows: list[list[str]]) -> list[str]:
    """A plain-text table: columns padded to their widest cell, a rule under the header.

    Widths are terminal cells (:func:`rich.cells.cell_len`): an emoji or a CJK character
    takes two, so the columns after it stay aligned. No line ends in spaces."""
    rows = [[visible(cell) for cell in row] for row in rows]
    table = [columns, *rows]
    widths = [max(cell_len(row[i]) for row in table) for i in range(len(columns))]
    lines = []
    for row in table:
        padded = (
            cell + " " * (width - cell_len(cell)) for cell, width in zip(row, widths, strict=True)
        )
        lines.append("  ".join(padded).rstrip())
    lines.insert(1, "  ".join("-" * width for width in widths))
    return lines


def render_text(report: Report) -> str:
    """Plain aligned columns, for pipes and files."""
    lines = [visible(report.title), ""]
    for section in report.sections:
        if section.title:
            lines += [visible(section.title), ""]
        lines += aligned_lines(section.columns, section.rows) if section.rows else ["(none)"]
        lines.append("")
    return "\n".join(lines)


def _md_cell(text: str) -> str:
    return visible(text).replace("\\", "\\\\").replace("|", "\\|")


def render_markdown(report: Report) -> str:
    lines = [f"# {visible(report.title)}", ""]
    for section in report.sections:
        if section.title:
            lines += [f"## {visible(section.title)}", ""]
        if not section.rows:
            lines += ["(none)", ""]
            continue
        lines.append("| " + " | ".join(section.columns) + " |")
        lines.append("|" + "|".join(" --- " for _ in section.columns) + "|")
        lines += ["| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in section.rows]
        lines.append("")
    return "\n".join(lines)


def record_table(spec: KindSpec, records: Iterable[Record]) -> tuple[list[str], list[list[str]]]:
    """Columns and cells for showing records as a table (long texts left out; derived
    figures, such as a deliverable's rounds of rework, last; money as every table shows
    it)."""
    fields = [f for f in (*spec.fields, *spec.derived) if f.type is not FieldType.LONG_TEXT]
    rows = []
    for record in records:
        cells = []
        for f in fields:
            value = record[f.name]
            if isinstance(value, list):
                cells.append(", ".join(value))
            elif isinstance(value, bool):
                cells.append("true" if value else "false")
            elif f.type is FieldType.MONEY and value is not None:
                cells.append(money_figure(value))  # beside the record's currency
            else:
                cells.append("" if value is None else str(json_safe(value)))
        rows.append(cells)
    return [f.name for f in fields], rows
