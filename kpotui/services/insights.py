"""The questions of DOMAIN.md, each answered by aggregate SQL (never by loading tables).

Every function takes ``today`` (default: :func:`kpotui.services.clock.today`) so answers
are reproducible. Money comes back as Decimal, grouped by currency: amounts in different
currencies are never added together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, func, literal, or_, select, true

from kpotui import models as m
from kpotui.services.clock import today as clock_today
from kpotui.store import Store

OPEN_DELIVERABLE = ("planned", "in-progress", "rework")
"""Statuses in which a deliverable is still owed by the provider."""
SPENDING_CONTRACT = ("active", "on-hold", "completed", "terminated")
"""Contracts whose value counts as spend (a draft is not signed yet)."""
LIVE_CONTRACT = ("active", "on-hold")
OUTSOURCED = ("outsourced", "hybrid")

P = m.Provider.__table__  # type: ignore[attr-defined]
C = m.Contract.__table__  # type: ignore[attr-defined]
D = m.Deliverable.__table__  # type: ignore[attr-defined]
T = m.Task.__table__  # type: ignore[attr-defined]
N = m.Note.__table__  # type: ignore[attr-defined]
DEC = m.Decision.__table__  # type: ignore[attr-defined]


def _money(minor: Any) -> Decimal:
    return (Decimal(int(minor or 0)) / 100).quantize(Decimal("0.01"))


def _day(conn: Connection, value: date) -> Any:
    """A date parameter the dialect compares correctly with its date columns."""
    return literal(value.isoformat()) if conn.dialect.name == "sqlite" else literal(value)


def _add_days(conn: Connection, day: date, days: Any) -> Any:
    """``day + days`` as a SQL date expression (``days`` may be a column expression)."""
    if conn.dialect.name == "sqlite":
        return func.date(day.isoformat(), func.printf("%+d days", days))
    return literal(day) + days


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


# -- 1. overdue and due soon ----------------------------------------------------------------


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
    overdue_count: int
    due_soon_count: int
    overdue: list[DueItem]
    due_soon: list[DueItem]


def due_work(
    store: Store, today: date | None = None, *, horizon_days: int = 14, limit: int = 50
) -> DueWork:
    """Open deliverables past their due date, and those due within ``horizon_days``."""
    today = today or clock_today()
    horizon = today + timedelta(days=horizon_days)
    base = (
        select(D.c.id, C.c.code, P.c.name, D.c.title, D.c.due_date, D.c.status)
        .select_from(D.join(C, C.c.id == D.c.contract_id).join(P, P.c.id == C.c.provider_id))
        .where(D.c.status.in_(OPEN_DELIVERABLE))
    )
    with store.read() as conn:
        t, h = _day(conn, today), _day(conn, horizon)
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
        due = _as_date(row.due_date)
        assert due is not None
        return DueItem(row.id, row.code, row.name, row.title, due, row.status, (today - due).days)

    return DueWork(
        overdue_count=counts[0],
        due_soon_count=counts[1],
        overdue=[item(r) for r in lists[0]],
        due_soon=[item(r) for r in lists[1]],
    )


# -- 2. the core / non-core matrix and knowledge retention ----------------------------------


@dataclass(frozen=True)
class MatrixCell:
    classification: str
    sourcing: str
    count: int
    in_house_monthly_cost: Decimal
    outsourced_monthly_cost: Decimal


def sourcing_matrix(store: Store) -> list[MatrixCell]:
    """Activities by classification x sourcing, with monthly costs (every cell, even empty)."""
    query = select(
        T.c.classification,
        T.c.sourcing,
        func.count(),
        func.sum(T.c.in_house_monthly_cost_minor),
        func.sum(T.c.outsourced_monthly_cost_minor),
    ).group_by(T.c.classification, T.c.sourcing)
    with store.read() as conn:
        found = {(r[0], r[1]): r for r in conn.execute(query)}
    cells = []
    for classification in m.Classification:
        for sourcing in m.Sourcing:
            row = found.get((classification.value, sourcing.value))
            cells.append(
                MatrixCell(
                    classification.value,
                    sourcing.value,
                    row[2] if row else 0,
                    _money(row[3] if row else 0),
                    _money(row[4] if row else 0),
                )
            )
    return cells


@dataclass(frozen=True)
class AtRisk:
    id: int
    name: str
    contract: str | None
    owner: str | None
    fresh_notes: int
    stale_notes: int

    @property
    def reasons(self) -> list[str]:
        out = []
        if not self.owner:
            out.append("no internal owner")
        if not self.fresh_notes:
            out.append("only stale notes" if self.stale_notes else "no retention note")
        return out


@dataclass(frozen=True)
class Retention:
    outsourced: int
    """Outsourced or hybrid activities, core and non-core."""
    with_owner: int
    with_fresh_note: int
    covered: int
    """With an owner and a fresh note both."""
    at_risk: list[AtRisk] = field(default_factory=list)
    """Outsourced core activities with no owner or no fresh note."""


def retention(store: Store, today: date | None = None) -> Retention:
    """Knowledge retention coverage of outsourced work, and the core activities at risk.

    A note is *fresh* when it has no ``review_by`` or its ``review_by`` is not past.
    """
    today = today or clock_today()
    with store.read() as conn:
        t = _day(conn, today)
        is_fresh = or_(N.c.review_by.is_(None), N.c.review_by >= t)
        # Per activity, not per note: a seek in ix_note_task for each activity beats
        # grouping all notes and joining the groups back (which needs an index built
        # on the fly at every call).
        notes_of_task = select(func.count()).where(N.c.task_id == T.c.id)
        fresh_n = notes_of_task.where(is_fresh).scalar_subquery()
        has_fresh = select(N.c.task_id).where(N.c.task_id == T.c.id, is_fresh).exists()
        has_owner = and_(T.c.owner.is_not(None), T.c.owner != "")
        flags = (
            select(has_owner.label("owned"), has_fresh.label("fresh"))
            .where(T.c.sourcing.in_(OUTSOURCED))
            .subquery()
        )
        owned, fresh = flags.c.owned == true(), flags.c.fresh == true()
        totals = conn.execute(
            select(
                func.count(),
                func.count().filter(owned),
                func.count().filter(fresh),
                func.count().filter(and_(owned, fresh)),
            )
        ).one()
        risky = conn.execute(
            select(
                T.c.id,
                T.c.name,
                C.c.code,
                T.c.owner,
                fresh_n.label("fresh"),
                notes_of_task.where(N.c.review_by < t).scalar_subquery().label("stale"),
            )
            .select_from(T.outerjoin(C, C.c.id == T.c.contract_id))
            .where(
                T.c.sourcing.in_(OUTSOURCED),
                T.c.classification == "core",
                or_(~has_owner, ~has_fresh),
            )
            # ``name || ''`` sorts exactly as ``name`` but keeps SQLite from choosing to
            # walk all activities in name order, looking each one up, to avoid a sort.
            .order_by(T.c.name + "")
        ).all()
    return Retention(
        outsourced=totals[0],
        with_owner=totals[1],
        with_fresh_note=totals[2],
        covered=totals[3],
        at_risk=[AtRisk(r.id, r.name, r.code, r.owner, r.fresh, r.stale) for r in risky],
    )


# -- 3. cost per provider against in-house --------------------------------------------------


@dataclass(frozen=True)
class ProviderCost:
    provider: str
    currency: str
    contract_value: Decimal
    in_house_estimate: Decimal
    contracts: int

    @property
    def saving(self) -> Decimal:
        return self.in_house_estimate - self.contract_value


@dataclass(frozen=True)
class ActivityCost:
    provider: str | None
    """None for activities done in-house (no contract)."""
    activities: int
    outsourced_monthly_cost: Decimal
    in_house_monthly_cost: Decimal


def provider_costs(store: Store) -> tuple[list[ProviderCost], list[ActivityCost]]:
    """Contract value against the in-house estimate per provider and currency; and the
    monthly cost of the activities each provider covers against doing them in-house."""
    contracts = (
        select(
            P.c.name,
            C.c.currency,
            func.sum(C.c.value_minor),
            func.sum(C.c.in_house_estimate_minor),
            func.count(),
        )
        .select_from(C.join(P, P.c.id == C.c.provider_id))
        .where(C.c.status.in_(SPENDING_CONTRACT))
        .group_by(P.c.name, C.c.currency)
        .order_by(func.sum(C.c.value_minor).desc(), P.c.name)
    )
    # Activities are summed per contract first (one pass over ix_task_contract), so only
    # one lookup per contract, not per activity, finds the provider.
    per_contract = (
        select(
            T.c.contract_id,
            func.count().label("activities"),
            func.sum(T.c.outsourced_monthly_cost_minor).label("outsourced"),
            func.sum(T.c.in_house_monthly_cost_minor).label("in_house"),
        )
        .group_by(T.c.contract_id)
        .subquery()
    )
    activities = (
        select(
            P.c.name,
            func.sum(per_contract.c.activities),
            func.sum(per_contract.c.outsourced),
            func.sum(per_contract.c.in_house),
        )
        .select_from(
            per_contract.outerjoin(C, C.c.id == per_contract.c.contract_id).outerjoin(
                P, P.c.id == C.c.provider_id
            )
        )
        .group_by(P.c.name)
        .order_by(P.c.name)
    )
    with store.read() as conn:
        by_contract = [
            ProviderCost(r[0], r[1], _money(r[2]), _money(r[3]), r[4])
            for r in conn.execute(contracts)
        ]
        by_activity = [
            ActivityCost(r[0], int(r[1]), _money(r[2]), _money(r[3]))
            for r in conn.execute(activities)
        ]
    return by_contract, by_activity


# -- 4. provider reliability ----------------------------------------------------------------


@dataclass(frozen=True)
class Reliability:
    provider: str
    deliverables: int
    delivered: int
    on_time: int
    average_quality: float | None
    rework: int
    overdue: int

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.delivered if self.delivered else None


def reliability(store: Store, today: date | None = None) -> list[Reliability]:
    """Per provider: on-time rate of what was delivered, average quality, work in rework,
    open work overdue. Delivered = has a submitted date; on time = submitted by due date."""
    today = today or clock_today()
    with store.read() as conn:
        t = _day(conn, today)
        query = (
            select(
                P.c.name,
                func.count(D.c.id),
                func.count(D.c.submitted_date),
                func.count(D.c.id).filter(D.c.submitted_date <= D.c.due_date),
                func.avg(D.c.quality_score),
                func.count(D.c.id).filter(D.c.status == "rework"),
                func.count(D.c.id).filter(and_(D.c.status.in_(OPEN_DELIVERABLE), D.c.due_date < t)),
            )
            .select_from(
                P.outerjoin(C, C.c.provider_id == P.c.id).outerjoin(D, D.c.contract_id == C.c.id)
            )
            .group_by(P.c.name)
            .order_by(P.c.name)
        )
        rows = conn.execute(query).all()
    return [
        Reliability(
            r[0], r[1], r[2], r[3], None if r[4] is None else round(float(r[4]), 2), r[5], r[6]
        )
        for r in rows
    ]


# -- 5. contracts ending or renewing inside notice ------------------------------------------


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
        return self.end_date - timedelta(days=self.notice_days)

    def inside_notice(self, today: date) -> bool:
        return self.notice_deadline <= today


def renewals(store: Store, today: date | None = None, *, warn_days: int = 30) -> list[Renewal]:
    """Live contracts not yet ended whose notice deadline has passed or falls within
    ``warn_days``; ordered by end date."""
    today = today or clock_today()
    notice = func.coalesce(C.c.notice_days, 0)
    with store.read() as conn:
        query = (
            select(C.c.id, C.c.code, C.c.title, P.c.name, C.c.end_date, notice, C.c.auto_renew)
            .select_from(C.join(P, P.c.id == C.c.provider_id))
            .where(
                C.c.status.in_(LIVE_CONTRACT),
                C.c.end_date.is_not(None),
                C.c.end_date >= _day(conn, today),
                C.c.end_date <= _add_days(conn, today, notice + warn_days),
            )
            .order_by(C.c.end_date, C.c.code)
        )
        rows = conn.execute(query).all()
    return [
        Renewal(r[0], r[1], r[2], r[3], _as_date(r[4]) or today, int(r[5]), bool(r[6]))
        for r in rows
    ]


# -- 6. decisions providers took ------------------------------------------------------------


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
            DEC.c.date >= _day(conn, start),
            DEC.c.date <= _day(conn, end),
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
        DecisionItem(r[0], r[1], r[2], _as_date(r[3]) or start, r[4], bool(r[5]), r[6], r[7])
        for r in rows
    ]
    return DecisionLog(start, end, totals[0], totals[1], items)


# -- 7. concentration -----------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    name: str
    currency: str
    amount: Decimal
    share: float
    """Fraction of all spend in that currency."""


def concentration(store: Store) -> tuple[list[Share], list[Share]]:
    """Share of contract spend by provider and by provider country, per currency."""
    results: list[list[Share]] = []
    with store.read() as conn:
        for group in (P.c.name, func.coalesce(P.c.country, "(unknown)")):
            amount = func.coalesce(func.sum(C.c.value_minor), 0)
            total = func.sum(amount).over(partition_by=C.c.currency)
            rows = conn.execute(
                select(group, C.c.currency, amount, total)
                .select_from(C.join(P, P.c.id == C.c.provider_id))
                .where(C.c.status.in_(SPENDING_CONTRACT))
                .group_by(group, C.c.currency)
                .order_by(C.c.currency, amount.desc(), group)
            ).all()
            results.append(
                [
                    Share(r[0], r[1], _money(r[2]), (int(r[2]) / int(r[3])) if r[3] else 0.0)
                    for r in rows
                ]
            )
    return results[0], results[1]


# -- summary --------------------------------------------------------------------------------


def summary(store: Store, today: date | None = None) -> dict[str, Any]:
    """The headline figures of every question, for `kpotui report summary`."""
    from kpotui.services.records import counts

    today = today or clock_today()
    due = due_work(store, today, limit=0)
    kept = retention(store, today)
    decisions = provider_decisions(store, *quarter_of(today), limit=0)
    by_provider, _ = concentration(store)
    largest: dict[str, str] = {}
    for share in by_provider:  # ordered by currency, then amount descending
        largest.setdefault(share.currency, f"{share.name} {share.share:.0%}")
    return {
        "today": today.isoformat(),
        "records": counts(store),
        "overdue_deliverables": due.overdue_count,
        "due_in_14_days": due.due_soon_count,
        "outsourced_core_at_risk": len(kept.at_risk),
        "retention_covered": f"{kept.covered}/{kept.outsourced}",
        "contracts_in_notice": sum(1 for r in renewals(store, today) if r.inside_notice(today)),
        "provider_decisions_this_quarter": decisions.total,
        "irreversible_provider_decisions_this_quarter": decisions.irreversible,
        "largest_provider_share": largest,
    }
