"""What every insight query shares in SQL: the tables, dates and money."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, func, literal

from kpotui import models as m

P = m.Provider.__table__  # type: ignore[attr-defined]
C = m.Contract.__table__  # type: ignore[attr-defined]
D = m.Deliverable.__table__  # type: ignore[attr-defined]
T = m.Task.__table__  # type: ignore[attr-defined]
N = m.Note.__table__  # type: ignore[attr-defined]
DEC = m.Decision.__table__  # type: ignore[attr-defined]
RELIABILITY = m.ProviderReliability.__table__  # type: ignore[attr-defined]


def money(minor: Any) -> Decimal:
    return (Decimal(int(minor or 0)) / 100).quantize(Decimal("0.01"))


def sql_day(conn: Connection, value: date) -> Any:
    """A date parameter the dialect compares correctly with its date columns."""
    return literal(value.isoformat()) if conn.dialect.name == "sqlite" else literal(value)


def add_days(conn: Connection, day: date, days: Any) -> Any:
    """``day + days`` as a SQL date expression (``days`` may be a column expression)."""
    if conn.dialect.name == "sqlite":
        return func.date(day.isoformat(), func.printf("%+d days", days))
    return literal(day) + days


def as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


# What one deliverable counts for, as migration 0010's triggers count it per provider
# (kpotui.services.submissions says why); tests/services/test_sla.py checks they agree.
DELIVERED = D.c.submitted_date.is_not(None)
"""Submitted (it keeps its submitted date when sent back)."""
ON_TIME = and_(
    DELIVERED, func.coalesce(D.c.first_submitted_date, D.c.submitted_date) <= D.c.due_date
)
"""First submitted on or before the due date."""
ACCEPTED = D.c.status == "accepted"
FIRST_TIME_RIGHT = and_(ACCEPTED, D.c.rework_rounds == 0)
"""Accepted and never sent back."""
