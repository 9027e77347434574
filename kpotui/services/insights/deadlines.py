"""Questions 1 and 5: work overdue or due soon, and contracts ending inside their notice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, select

from kpotui.services import notice
from kpotui.services.clock import today as clock_today
from kpotui.services.horizons import firm_horizons
from kpotui.services.insights.sql import C, D, P, add_days, as_date, sql_day
from kpotui.services.statuses import LIVE_CONTRACT, OPEN_DELIVERABLE
from kpotui.store import Store


@dataclass(frozen=True)
class DueItem:
    id: int
    contract: str
    provider: str
    title: str
    due_date: date
    status: str
    days_late: int
    """Positive when overdue, negative for days still left."""


@dataclass(frozen=True)
class DueWork:
    due_soon_days: int
    """How far ahead "due soon" looked."""
    overdue_count: int
    due_soon_count: int
    overdue: list[DueItem]
    due_soon: list[DueItem]


def due_work(
    store: Store, today: date | None = None, *, due_soon_days: int | None = None, limit: int = 50
) -> DueWork:
    """Open deliverables past their due date, and those due within ``due_soon_days``
    (the firm's by default; the rules of :func:`kpotui.services.flags.due_flags`, in SQL)."""
    today = today or clock_today()
    if due_soon_days is None:
        due_soon_days = firm_horizons(store).due_soon_days
    horizon = today + timedelta(days=due_soon_days)
    base = (
        select(D.c.id, C.c.code, P.c.name, D.c.title, D.c.due_date, D.c.status)
        .select_from(D.join(C, C.c.id == D.c.contract_id).join(P, P.c.id == C.c.provider_id))
        .where(D.c.status.in_(OPEN_DELIVERABLE))
    )
    with store.read() as conn:
        t, h = sql_day(conn, today), sql_day(conn, horizon)
        overdue_where = D.c.due_date < t
        soon_where = and_(D.c.due_date >= t, D.c.due_date <= h)
        counts = conn.execute(
            select(func.count().filter(overdue_where), func.count().filter(soon_where)).where(
                D.c.status.in_(OPEN_DELIVERABLE), D.c.due_date <= h
            )
        ).one()
        lists = [
            conn.execute(base.where(where).order_by(D.c.due_date, D.c.id).limit(limit)).all()
            for where in (overdue_where, soon_where)
        ]

    def item(row: Any) -> DueItem:
        due = as_date(row.due_date)
        assert due is not None
        return DueItem(row.id, row.code, row.name, row.title, due, row.status, (today - due).days)

    return DueWork(
        due_soon_days=due_soon_days,
        overdue_count=counts[0],
        due_soon_count=counts[1],
        overdue=[item(r) for r in lists[0]],
        due_soon=[item(r) for r in lists[1]],
    )


@dataclass(frozen=True)
class Renewal:
    id: int
    code: str
    title: str
    provider: str
    end_date: date
    notice_days: int
    auto_renew: bool

    @property
    def notice_deadline(self) -> date:
        """The last day to give notice (or decide on renewal)."""
        return notice.notice_deadline(self.end_date, self.notice_days)

    def inside_notice(self, today: date) -> bool:
        return notice.inside_notice(self.notice_deadline, today)


def renewals(
    store: Store, today: date | None = None, *, notice_warning_days: int | None = None
) -> list[Renewal]:
    """Live contracts not yet ended whose notice deadline has passed or falls within
    ``notice_warning_days`` (the firm's by default); ordered by end date (the contracts
    :func:`kpotui.services.flags.notice_flags` flags, in SQL: ``end - notice <= today +
    warn`` written as ``end <= today + notice + warn``)."""
    today = today or clock_today()
    if notice_warning_days is None:
        notice_warning_days = firm_horizons(store).notice_warning_days
    notice_days = func.coalesce(C.c.notice_days, 0)
    with store.read() as conn:
        query = (
            select(C.c.id, C.c.code, C.c.title, P.c.name, C.c.end_date, notice_days, C.c.auto_renew)
            .select_from(C.join(P, P.c.id == C.c.provider_id))
            .where(
                C.c.status.in_(LIVE_CONTRACT),
                C.c.end_date.is_not(None),
                C.c.end_date >= sql_day(conn, today),
                C.c.end_date <= add_days(conn, today, notice_days + notice_warning_days),
            )
            .order_by(C.c.end_date, C.c.code)
        )
        rows = conn.execute(query).all()
    return [
        Renewal(r[0], r[1], r[2], r[3], as_date(r[4]) or today, int(r[5]), bool(r[6])) for r in rows
    ]
