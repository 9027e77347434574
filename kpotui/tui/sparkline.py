"""Sparklines of block characters, for a table cell (a Sparkline widget cannot sit in one)."""

from __future__ import annotations

from collections.abc import Sequence

BLOCKS = "▁▂▃▄▅▆▇█"
GAP = "·"
"""A period without a figure."""


def sparkline(values: Sequence[float | None], low: float = 0.0, high: float = 100.0) -> str:
    """One character per value, from ``low`` (▁) to ``high`` (█); None shows as a gap.
    Values outside the range are drawn at its ends."""
    span = high - low
    marks = []
    for value in values:
        if value is None:
            marks.append(GAP)
            continue
        share = min(max((value - low) / span, 0.0), 1.0) if span > 0 else 1.0
        marks.append(BLOCKS[round(share * (len(BLOCKS) - 1))])
    return "".join(marks)
