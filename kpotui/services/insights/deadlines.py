"""Questions 1 and 5: work overdue or due soon, and contracts ending inside their notice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, select

from kpotui.services import notice, terms
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
    status: str
    end_date: date
    """As stored: the end of the first term."""
    notice_days: int
    auto_renew: bool
    term: terms.Term
    """The current term (:func:`kpotui.services.terms.current_term`)."""

    @property
    def notice_deadline(self) -> date:
        """The last day to give notice on the current term (or decide on renewal)."""
        return self.term.notice_deadline

    @property
    def outlook(self) -> str:
        """What the current term means, in one line (:func:`kpotui.services.terms.outlook`)."""
        return terms.outlook(self.term, status=self.status, auto_renew=self.auto_renew)

    def inside_notice(self, today: date) -> bool:
        """The notice deadline of a term still running is today or has passed."""
        return not self.term.lapsed and notice.inside_notice(self.notice_deadline, today)


@dataclass(frozen=True)
class NoticeFigures:
    """The counts of :func:`renewals`' list, for every front end that shows them."""

    notice: int
    """Contracts whose notice deadline has passed or falls within the warning horizon."""
    inside: int
    """Of those, the ones whose deadline is today or has passed."""
    lapsed: int
    """Listed apart from ``notice``: past their end, not auto-renewing, still live."""

    @classmethod
    def of(cls, found: list[Renewal], today: date) -> NoticeFigures:
        lapsed = sum(1 for r in found if r.term.lapsed)
        inside = sum(1 for r in found if r.inside_notice(today))
        return cls(notice=len(found) - lapsed, inside=inside, lapsed=lapsed)


def renewals(
    store: Store, today: date | None = None, *, notice_warning_days: int | None = None
) -> list[Renewal]:
    """Live contracts whose notice deadline on the current term has passed or falls within
    ``notice_warning_days`` (the firm's by default), and lapsed ones; ordered by current
    term end, so the lapsed come first (the contracts
    :func:`kpotui.services.flags.notice_flags` flags).

    SQL narrows to live contracts with ``end <= today + notice + warn`` (every one past its
    stored end, lapsed or rolled on, and those near it); the current term is then worked
    out per contract, as month arithmetic is not portable SQL.
    """
    today = today or clock_today()
    if notice_warning_days is None:
        notice_warning_days = firm_horizons(store).notice_warning_days
    notice_days = func.coalesce(C.c.notice_days, 0)
    with store.read() as conn:
        query = (
            select(
                C.c.id,
                C.c.code,
                C.c.title,
                P.c.name,
                C.c.status,
                C.c.end_date,
                notice_days.label("notice_days"),
                C.c.auto_renew,
                C.c.renewal_term_months,
            )
            .select_from(C.join(P, P.c.id == C.c.provider_id))
            .where(
                C.c.status.in_(LIVE_CONTRACT),
                C.c.end_date.is_not(None),
                C.c.end_date <= add_days(conn, today, notice_days + notice_warning_days),
            )
        )
        rows = conn.execute(query).all()
    horizon = today + timedelta(days=notice_warning_days)
    found = []
    for id_, code, title, provider, status, stored_end, days, renews, months in rows:
        end = as_date(stored_end)
        assert end is not None
        term = terms.current_term(
            status=status,
            end_date=end,
            notice_days=days,
            auto_renew=bool(renews),
            renewal_term_months=months,
            today=today,
        )
        if term.lapsed or term.notice_deadline <= horizon:
            found.append(
                Renewal(id_, code, title, provider, status, end, int(days), bool(renews), term)
            )
    return sorted(found, key=lambda renewal: (renewal.term.end, renewal.code))
