"""Calendar periods an SLA is measured over: months ("2026-09") and quarters ("2026Q3")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from kpotui.services.errors import ServiceError

MONTH = "month"
QUARTER = "quarter"
_MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
_QUARTER_RE = re.compile(r"(\d{4})[Qq]([1-4])")


@dataclass(frozen=True, order=True)
class Period:
    """One month (``number`` 1-12) or one quarter (1-4) of a year."""

    year: int
    number: int
    kind: str

    @property
    def label(self) -> str:
        """As it is written: ``2026-09`` or ``2026Q3``."""
        if self.kind == MONTH:
            return f"{self.year}-{self.number:02d}"
        return f"{self.year}Q{self.number}"

    @property
    def months(self) -> int:
        return 1 if self.kind == MONTH else 3

    @property
    def start(self) -> date:
        return date(self.year, (self.number - 1) * self.months + 1, 1)

    @property
    def end(self) -> date:
        """The last day in the period."""
        return self.shifted(1).start - timedelta(days=1)

    def shifted(self, periods: int) -> Period:
        """The period ``periods`` later (earlier when negative)."""
        per_year = 12 // self.months
        index = self.year * per_year + self.number - 1 + periods
        return Period(index // per_year, index % per_year + 1, self.kind)

    def last(self, count: int) -> list[Period]:
        """The ``count`` periods ending with this one, oldest first."""
        return [self.shifted(-back) for back in range(count - 1, -1, -1)]


def period_of(day: date, kind: str) -> Period:
    """The month or quarter ``day`` falls in."""
    if kind == MONTH:
        return Period(day.year, day.month, MONTH)
    return Period(day.year, (day.month - 1) // 3 + 1, QUARTER)


def parse_period(text: str) -> Period:
    """``2026Q3`` (a quarter) or ``2026-09`` (a month); anything else is refused."""
    value = text.strip()
    quarter, month = _QUARTER_RE.fullmatch(value), _MONTH_RE.fullmatch(value)
    if quarter and int(quarter[1]) >= 1:
        return Period(int(quarter[1]), int(quarter[2]), QUARTER)
    if month and int(month[1]) >= 1 and 1 <= int(month[2]) <= 12:
        return Period(int(month[1]), int(month[2]), MONTH)
    raise ServiceError(f"period {text!r}: not a quarter such as 2026Q3 or a month such as 2026-09")
