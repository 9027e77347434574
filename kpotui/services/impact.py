"""What breaks if a provider, or every provider in one country, disappears.

The live contracts (term end, value, earliest exit, the data they hold), the activities
they cover with what taking them back would cost a month against what is paid now, the
open deliverables, the retention notes on those activities and the irreversible decisions
the providers took. Sums and counts come from aggregate SQL; amounts stay per currency,
converted beside (:mod:`kpotui.services.money`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection, func, select

from kpotui.services import exit as exits
from kpotui.services import money as money_service
from kpotui.services.clock import today as clock_today
from kpotui.services.errors import NotFoundError
from kpotui.services.insights.sql import C, D, P, T, as_date, money
from kpotui.services.money import Total
from kpotui.services.statuses import LIVE_CONTRACT, OPEN_DELIVERABLE
from kpotui.services.terms import term_of
from kpotui.store import Store


@dataclass(frozen=True)
class ContractImpact:
    id: int
    code: str
    title: str
    provider: str
    status: str
    term_end: date | None
    earliest_exit: date | None
    currency: str
    value: Decimal | None
    data_sensitivity: str | None
    compliance: list[str]
    open_deliverables: int


@dataclass(frozen=True)
class Impact:
    scope: str
    """``provider Meridian`` or ``country India``."""
    providers: list[str]
    contracts: list[ContractImpact]
    value: Total
    """Of the live contracts."""
    activities: list[exits.Activity]
    take_back: Total
    """What the covered activities would cost a month in-house."""
    paid_now: Total
    """What they cost a month outsourced."""
    open_deliverables: int
    """Of the live contracts."""
    decisions: list[exits.IrreversibleDecision]
    """Irreversible decisions the providers took, on any of their contracts."""
    codes: dict[int, str]
    """Contract id -> code, for the decisions and activities."""

    @property
    def undocumented(self) -> list[exits.Activity]:
        """Covered activities with no runbook or hand-over note at all."""
        return [a for a in self.activities if not a.documented]


def _providers(conn: Connection, *, provider: str | None, country: str | None) -> list[int]:
    if provider is not None:
        query = select(P.c.id).where(func.lower(P.c.name) == provider.strip().lower())
    else:
        query = select(P.c.id).where(func.lower(P.c.country) == (country or "").strip().lower())
    return list(conn.scalars(query))


def impact(
    store: Store,
    *,
    provider: str | None = None,
    country: str | None = None,
    today: date | None = None,
) -> Impact:
    """The impact of losing ``provider`` (a name) or every provider in ``country``."""
    today = today or clock_today()
    with store.read() as conn:
        provider_ids = _providers(conn, provider=provider, country=country)
        if not provider_ids:
            raise NotFoundError(
                f"no provider named {provider!r}"
                if provider is not None
                else f"no provider in country {country!r}"
            )
        names = list(
            conn.scalars(select(P.c.name).where(P.c.id.in_(provider_ids)).order_by(P.c.name))
        )
        scope = f"provider {names[0]}" if provider is not None else f"country {country}"
        rows = conn.execute(
            select(
                C.c.id,
                C.c.code,
                C.c.title,
                P.c.name,
                C.c.status,
                C.c.end_date,
                C.c.notice_days,
                C.c.auto_renew,
                C.c.renewal_term_months,
                C.c.currency,
                C.c.value_minor,
                C.c.data_sensitivity,
                C.c.compliance,
            )
            .select_from(C.join(P, P.c.id == C.c.provider_id))
            .where(C.c.provider_id.in_(provider_ids), C.c.status.in_(LIVE_CONTRACT))
            .order_by(C.c.code)
        ).all()
        live = [r.id for r in rows]
        open_counts: dict[int, int] = (
            dict(
                conn.execute(
                    select(D.c.contract_id, func.count())
                    .where(D.c.contract_id.in_(live), D.c.status.in_(OPEN_DELIVERABLE))
                    .group_by(D.c.contract_id)
                ).all()
            )
            if live
            else {}
        )
        costs = (
            conn.execute(
                select(
                    T.c.currency,
                    func.sum(T.c.in_house_monthly_cost_minor),
                    func.sum(T.c.outsourced_monthly_cost_minor),
                )
                .where(T.c.contract_id.in_(live))
                .group_by(T.c.currency)
            ).all()
            if live
            else []
        )
        activities = exits.covered_activities(conn, live, today)
        decisions = exits.irreversible_decisions(
            conn, select(C.c.id).where(C.c.provider_id.in_(provider_ids))
        )
        decided = {d.contract_id for d in decisions}
        codes: dict[int, str] = dict(
            conn.execute(select(C.c.id, C.c.code).where(C.c.id.in_(decided))).all()
        )
        convert = money_service.converter(
            conn, today, {r.currency for r in rows} | {c for c, _, _ in costs}
        )
    contracts = []
    for r in rows:
        record = {
            "status": r.status,
            "end_date": as_date(r.end_date),
            "notice_days": r.notice_days,
            "auto_renew": r.auto_renew,
            "renewal_term_months": r.renewal_term_months,
        }
        term = term_of(record, today)
        contracts.append(
            ContractImpact(
                id=r.id,
                code=r.code,
                title=r.title,
                provider=r.name,
                status=r.status,
                term_end=None if term is None else term.end,
                earliest_exit=exits.earliest_exit(**record, today=today),
                currency=r.currency,
                value=None if r.value_minor is None else money(r.value_minor),
                data_sensitivity=r.data_sensitivity,
                compliance=list(r.compliance or []),
                open_deliverables=open_counts.get(r.id, 0),
            )
        )
    value = convert.total(
        money_service.per_currency((c.currency, c.value) for c in contracts if c.value is not None)
    )
    take_back = convert.total({c: money(i) for c, i, _ in costs if i is not None})
    paid_now = convert.total({c: money(o) for c, _, o in costs if o is not None})
    return Impact(
        scope=scope,
        providers=names,
        contracts=contracts,
        value=value,
        activities=activities,
        take_back=take_back,
        paid_now=paid_now,
        open_deliverables=sum(open_counts.values()),
        decisions=decisions,
        codes=codes,
    )
