"""Question 6: which decisions providers took for us in a period, and which are final."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from kpotui.services.clock import today as clock_today
from kpotui.services.insights.sql import DEC, C, P, as_date, sql_day
from kpotui.store import Store


@dataclass(frozen=True)
class DecisionItem:
    id: int
    contract: str
    provider: str
    date: date
    summary: str
    reversible: bool
    impact: str | None
    status: str


@dataclass(frozen=True)
class DecisionLog:
    start: date
    end: date
    total: int
    irreversible: int
    items: list[DecisionItem]


def quarter_of(day: date) -> tuple[date, date]:
    """The first and last day of the calendar quarter containing ``day``."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    last_month = first_month + 2
    after = date(day.year + 1, 1, 1) if last_month == 12 else date(day.year, last_month + 1, 1)
    return start, after - timedelta(days=1)


def provider_decisions(
    store: Store,
    start: date | None = None,
    end: date | None = None,
    *,
    irreversible_only: bool = False,
    limit: int = 200,
) -> DecisionLog:
    """Decisions made by providers between ``start`` and ``end`` (default: this quarter)."""
    if start is None or end is None:
        q_start, q_end = quarter_of(clock_today())
        start, end = start or q_start, end or q_end
    with store.read() as conn:
        where = [
            DEC.c.made_by == "provider",
            DEC.c.date >= sql_day(conn, start),
            DEC.c.date <= sql_day(conn, end),
        ]
        if irreversible_only:
            where.append(DEC.c.reversible.is_(False))
        totals = conn.execute(
            select(func.count(), func.count().filter(DEC.c.reversible.is_(False))).where(*where)
        ).one()
        rows = conn.execute(
            select(
                DEC.c.id,
                C.c.code,
                P.c.name,
                DEC.c.date,
                DEC.c.summary,
                DEC.c.reversible,
                DEC.c.impact,
                DEC.c.status,
            )
            .select_from(
                DEC.join(C, C.c.id == DEC.c.contract_id).join(P, P.c.id == C.c.provider_id)
            )
            .where(*where)
            .order_by(DEC.c.date.desc(), DEC.c.id.desc())
            .limit(limit)
        ).all()
    items = [
        DecisionItem(r[0], r[1], r[2], as_date(r[3]) or start, r[4], bool(r[5]), r[6], r[7])
        for r in rows
    ]
    return DecisionLog(start, end, totals[0], totals[1], items)
