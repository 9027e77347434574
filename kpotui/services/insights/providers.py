"""Questions 3, 4 and 7: what each provider costs, how reliable it is, how concentrated
the spend is."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import case, func, select

from kpotui.services import money as money_service
from kpotui.services.clock import today as clock_today
from kpotui.services.insights.sql import RELIABILITY, C, D, P, T, money, sql_day
from kpotui.services.money import Total
from kpotui.services.statuses import LIVE_CONTRACT, OPEN_DELIVERABLE, SPENDING_CONTRACT
from kpotui.store import Store


@dataclass(frozen=True)
class ProviderCost:
    provider: str
    currency: str
    contract_value: Decimal
    in_house_estimate: Decimal | None
    """Of the contracts that have one (None: none has)."""
    contracts: int
    estimated_value: Decimal | None = None
    """The value of the contracts that have an in-house estimate: what it is set against."""

    @property
    def saving(self) -> Decimal | None:
        """In-house estimate less the value of the same contracts; None without estimates
        (a contract with no estimate saves nothing and costs nothing here)."""
        if self.in_house_estimate is None or self.estimated_value is None:
            return None
        return self.in_house_estimate - self.estimated_value


@dataclass(frozen=True)
class ActivityCost:
    provider: str | None
    """None for activities done in-house (no contract)."""
    currency: str
    """Of the activities' costs (not necessarily their contract's)."""
    activities: int
    outsourced_monthly_cost: Decimal
    in_house_monthly_cost: Decimal


def contract_spend(store: Store, *, provider_id: int | None = None) -> list[ProviderCost]:
    """Signed contracts' value against the in-house estimate per provider and currency,
    largest first; ``provider_id``: that provider's alone."""
    query = (
        select(
            P.c.name,
            C.c.currency,
            func.sum(C.c.value_minor),
            func.sum(C.c.in_house_estimate_minor),
            func.count(),
            func.sum(case((C.c.in_house_estimate_minor.is_not(None), C.c.value_minor))),
        )
        .select_from(C.join(P, P.c.id == C.c.provider_id))
        .where(C.c.status.in_(SPENDING_CONTRACT))
        .group_by(P.c.name, C.c.currency)
        .order_by(func.sum(C.c.value_minor).desc(), P.c.name)
    )
    if provider_id is not None:
        query = query.where(C.c.provider_id == provider_id)
    with store.read() as conn:
        return [
            ProviderCost(
                r[0],
                r[1],
                money(r[2]),
                None if r[3] is None else money(r[3]),
                r[4],
                None if r[3] is None else money(r[5] or 0),
            )
            for r in conn.execute(query)
        ]


def provider_costs(store: Store) -> tuple[list[ProviderCost], list[ActivityCost]]:
    """Contract value against the in-house estimate per provider and currency; and the
    monthly cost of the activities each provider covers against doing them in-house."""
    # Activities are summed per contract first (one pass over ix_task_contract), so only
    # one lookup per contract, not per activity, finds the provider.
    per_contract = (
        select(
            T.c.contract_id,
            T.c.currency,
            func.count().label("activities"),
            func.sum(T.c.outsourced_monthly_cost_minor).label("outsourced"),
            func.sum(T.c.in_house_monthly_cost_minor).label("in_house"),
        )
        .group_by(T.c.contract_id, T.c.currency)
        .subquery()
    )
    activities = (
        select(
            P.c.name,
            per_contract.c.currency,
            func.sum(per_contract.c.activities),
            func.sum(per_contract.c.outsourced),
            func.sum(per_contract.c.in_house),
        )
        .select_from(
            per_contract.outerjoin(C, C.c.id == per_contract.c.contract_id).outerjoin(
                P, P.c.id == C.c.provider_id
            )
        )
        .group_by(P.c.name, per_contract.c.currency)
        .order_by(P.c.name, per_contract.c.currency)
    )
    by_contract = contract_spend(store)
    with store.read() as conn:
        by_activity = [
            ActivityCost(r[0], r[1], int(r[2]), money(r[3]), money(r[4]))
            for r in conn.execute(activities)
        ]
    return by_contract, by_activity


@dataclass(frozen=True)
class Reliability:
    provider: str
    deliverables: int
    delivered: int
    on_time: int
    average_quality: float | None
    accepted: int
    first_time_right: int
    rework_rounds: int
    overdue: int

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.delivered if self.delivered else None

    @property
    def first_time_right_rate(self) -> float | None:
        """Of the work accepted, the share accepted without being sent back."""
        return self.first_time_right / self.accepted if self.accepted else None


def reliability(
    store: Store,
    today: date | None = None,
    *,
    provider_id: int | None = None,
    with_work: bool = False,
) -> list[Reliability]:
    """Per provider (``provider_id``: that one alone; ``with_work``: those with at least
    one deliverable, see :func:`providers_without_work`): on-time rate of what was delivered,
    average quality, first-time-right rate, rounds of rework, open work overdue.
    Delivered = has a submitted date; on time = first submitted by the due date (a
    submission sent back does not become on time when resubmitted); first-time-right =
    accepted and never sent back; rework rounds = times sent back, kept after acceptance.

    Everything but overdue comes from ``provider_reliability``, which triggers keep in
    step with the deliverables (migrations 0005, 0010); overdue depends on the day, so it
    is counted here, from the few open deliverables already past due.
    """
    today = today or clock_today()
    r = RELIABILITY.c
    with store.read() as conn:
        # ``provider_id + 0`` groups exactly as ``provider_id`` but keeps SQLite from
        # walking all contracts in provider order (to spare the grouping a sort) and
        # looking up every deliverable of each: 2 s instead of a few milliseconds.
        grouped_id = (C.c.provider_id + 0).label("provider_id")
        overdue_query = (
            select(grouped_id, func.count())
            .select_from(D.join(C, C.c.id == D.c.contract_id))
            .where(D.c.status.in_(OPEN_DELIVERABLE), D.c.due_date < sql_day(conn, today))
            .group_by(grouped_id)
        )
        counts_query = (
            select(
                P.c.id,
                P.c.name,
                r.deliverables,
                r.delivered,
                r.on_time,
                r.quality_sum,
                r.quality_count,
                r.accepted,
                r.first_time_right,
                r.rework_rounds,
            )
            .select_from(P.join(RELIABILITY, r.provider_id == P.c.id))
            .order_by(P.c.name)
        )
        if provider_id is not None:
            overdue_query = overdue_query.where(C.c.provider_id == provider_id)
            counts_query = counts_query.where(P.c.id == provider_id)
        if with_work:
            counts_query = counts_query.where(r.deliverables > 0)
        overdue: dict[int, int] = dict(conn.execute(overdue_query).all())
        rows = conn.execute(counts_query).all()
    found = []
    for found_id, name, *counts in rows:
        deliverables, delivered, on_time, quality_sum, quality_count = counts[:5]
        accepted, first_time_right, rework_rounds = counts[5:]
        quality = round(quality_sum / quality_count, 2) if quality_count else None
        found.append(
            Reliability(
                name,
                deliverables,
                delivered,
                on_time,
                quality,
                accepted,
                first_time_right,
                rework_rounds,
                overdue.get(found_id, 0),
            )
        )
    return found


def providers_without_work(store: Store) -> int:
    """How many providers have no deliverable yet (those ``reliability(with_work=True)``
    leaves out)."""
    r = RELIABILITY.c
    with_work = select(r.provider_id).where(r.provider_id == P.c.id, r.deliverables > 0)
    with store.read() as conn:
        query = select(func.count()).select_from(P).where(~with_work.exists())
        return int(conn.execute(query).scalar_one())


@dataclass(frozen=True)
class Share:
    name: str
    currency: str
    """The reporting currency when the spend was converted, else the amount's own."""
    amount: Decimal
    share: float
    """Fraction of all spend (converted), or of all spend in that currency."""


SPEND_MEANS = "spend: the value of live contracts (active or on hold)"
"""What the concentration figures add up, for the screens and reports to say."""


@dataclass(frozen=True)
class Concentration:
    """Share of spend by provider and by country: over all spend in the reporting
    currency when every currency has a rate on the day, else per currency."""

    by_provider: list[Share]
    by_country: list[Share]
    spend: Total
    """Spend per currency, and converted when every currency has a rate."""

    @property
    def converted(self) -> bool:
        return self.spend.converted is not None


def concentration(store: Store, today: date | None = None) -> Concentration:
    """Share of live contracts' value by provider and by provider country, converted to
    the reporting currency at the rates of ``today`` when every currency has one."""
    today = today or clock_today()
    # Contracts are summed per provider and currency once (one pass over the covering
    # ix_contract_provider), then named; the few sums are converted and shared out here.
    spend = (
        select(
            C.c.provider_id,
            C.c.currency,
            func.coalesce(func.sum(C.c.value_minor), 0).label("amount"),
        )
        .where(C.c.status.in_(LIVE_CONTRACT))
        .group_by(C.c.provider_id, C.c.currency)
        .subquery()
    )
    named = select(
        P.c.name, func.coalesce(P.c.country, "(unknown)"), spend.c.currency, spend.c.amount
    ).select_from(spend.join(P, P.c.id == spend.c.provider_id))
    with store.read() as conn:
        rows = [
            (name, country, cur, money(amount))
            for name, country, cur, amount in conn.execute(named)
        ]
        convert = money_service.converter(conn, today, {row[2] for row in rows})
    per_currency: dict[str, Decimal] = defaultdict(Decimal)
    for _, _, currency, amount in rows:
        per_currency[currency] += amount
    total = convert.total(per_currency)
    if total.converted is not None:
        reporting = total.reporting
        keyed = [
            (name, country, reporting, convert.convert(cur, amount) or Decimal(0))
            for name, country, cur, amount in rows
        ]
        totals = {reporting: total.converted}
    else:
        keyed, totals = rows, dict(per_currency)
    return Concentration(_shares(keyed, 0, totals), _shares(keyed, 1, totals), total)


def _shares(
    rows: list[tuple[str, str, str, Decimal]], by: int, totals: dict[str, Decimal]
) -> list[Share]:
    """Rows (provider, country, currency, amount) summed by provider (``by`` 0) or country
    (1) and currency; ordered by currency, then amount descending."""
    amounts: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for provider, country, currency, amount in rows:
        amounts[(country if by else provider, currency)] += amount
    ordered = sorted(amounts.items(), key=lambda item: (item[0][1], -item[1], item[0][0]))
    return [
        Share(name, currency, amount, float(amount / totals[currency]) if totals[currency] else 0.0)
        for (name, currency), amount in ordered
    ]
