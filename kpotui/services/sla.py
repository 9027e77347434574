"""Question 11: is each provider meeting the service levels in its contracts?

Figures are counted per period (a month or a quarter) from the deliverables *due* in it,
cancelled work left out, with the definitions the provider figures use
(:mod:`kpotui.services.submissions`):

* on-time % = first submitted by the due date, out of the deliverables *settled*:
  delivered, or past due (as of today) without being delivered. Work not yet due and not
  yet delivered counts for nothing yet;
* first-time-right % = accepted without a round of rework, out of those accepted;
* average quality = of the accepted deliverables that have a score;
* average rework = rounds of rework per delivered deliverable.

A contract's targets are checked against its figures; a target missed is a *breach* only
when at least ``sla_min_deliverables`` (a firm setting) were due in the period. A target
left empty is not checked, and a figure with nothing to count over misses nothing.
Everything is counted in SQL, grouped by contract (or provider) and period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, Integer, case, cast, func, or_, select, text

from kpotui.models import SLA_SET
from kpotui.services import settings
from kpotui.services.clock import today as clock_today
from kpotui.services.errors import NotFoundError
from kpotui.services.insights.sql import (
    ACCEPTED,
    DELIVERED,
    FIRST_TIME_RIGHT,
    ON_TIME,
    C,
    D,
    P,
    sql_day,
)
from kpotui.services.periods import MONTH, QUARTER, Period, period_of
from kpotui.store import Store

TREND_PERIODS = 8
"""Periods a trend shows, the current one last."""
TARGETS = ("on_time", "quality", "rework")
"""The targets a contract may set, as checks and reports name them."""


@dataclass(frozen=True)
class Targets:
    """A contract's service levels; None: no target."""

    on_time_pct: int | None = None
    min_quality: float | None = None
    max_rework: float | None = None
    period: str = QUARTER

    @property
    def any(self) -> bool:
        return (self.on_time_pct, self.min_quality, self.max_rework) != (None, None, None)


@dataclass(frozen=True)
class Figures:
    """The counts of the deliverables due in one period, and the rates made of them."""

    due: int = 0
    delivered: int = 0
    settled: int = 0
    """Delivered, or past due without being delivered: what on time counts over."""
    on_time: int = 0
    accepted: int = 0
    first_time_right: int = 0
    quality_sum: int = 0
    quality_count: int = 0
    rework_rounds: int = 0
    """Of the delivered deliverables."""

    @property
    def on_time_pct(self) -> float | None:
        return 100 * self.on_time / self.settled if self.settled else None

    @property
    def first_time_right_pct(self) -> float | None:
        return 100 * self.first_time_right / self.accepted if self.accepted else None

    @property
    def average_quality(self) -> float | None:
        return self.quality_sum / self.quality_count if self.quality_count else None

    @property
    def average_rework(self) -> float | None:
        return self.rework_rounds / self.delivered if self.delivered else None


@dataclass(frozen=True)
class Check:
    """One target against its figure."""

    target: str
    """One of :data:`TARGETS`."""
    wanted: float
    actual: float | None
    missed: bool
    breach: bool
    """Missed with enough deliverables due to count."""


@dataclass(frozen=True)
class PeriodSla:
    period: Period
    figures: Figures
    checks: tuple[Check, ...] = ()

    @property
    def breaches(self) -> list[Check]:
        return [c for c in self.checks if c.breach]


@dataclass(frozen=True)
class ContractSla:
    code: str
    title: str
    provider: str
    owner: str | None
    targets: Targets
    periods: list[PeriodSla] = field(default_factory=list)
    """One per period asked for, oldest first."""


@dataclass(frozen=True)
class Breach:
    """A target a contract missed in a period: what the agenda lists for its owner."""

    contract: str
    provider: str
    owner: str | None
    period: str
    target: str
    wanted: float
    actual: float


def check(targets: Targets, figures: Figures, least_due: int) -> tuple[Check, ...]:
    """The targets that are set, each against its figure."""
    counted = figures.due >= least_due
    found = []
    for name, wanted, actual, low_is_bad in (
        ("on_time", targets.on_time_pct, figures.on_time_pct, True),
        ("quality", targets.min_quality, figures.average_quality, True),
        ("rework", targets.max_rework, figures.average_rework, False),
    ):
        if wanted is None:
            continue
        missed = actual is not None and (actual < wanted if low_is_bad else actual > wanted)
        found.append(Check(name, wanted, actual, missed, missed and counted))
    return tuple(found)


# -- SQL ------------------------------------------------------------------------------------


def _label(conn: Connection, kind: str) -> Any:
    """The label of the period (``kind``) a deliverable is due in, as SQL."""
    due = D.c.due_date
    if conn.dialect.name == "postgresql":
        return func.to_char(due, "YYYY-MM" if kind == MONTH else 'YYYY"Q"Q')
    if kind == MONTH:
        return func.substr(due, 1, 7)
    quarter = (cast(func.substr(due, 6, 2), Integer) + 2) // 3
    return func.printf("%sQ%d", func.substr(due, 1, 4), quarter)


def _contract_label(conn: Connection) -> Any:
    """The label of the period a deliverable is due in, in its contract's SLA period."""
    return case((C.c.sla_period == MONTH, _label(conn, MONTH)), else_=_label(conn, QUARTER))


def _counts(
    conn: Connection,
    today: date,
    start: date,
    end: date,
    group: Any,
    label: Any,
    *where: Any,
) -> dict[tuple[Any, str], Figures]:
    """Figures of the deliverables due from ``start`` to ``end`` (cancelled left out) per
    ``group`` and period ``label`` (SQL expressions), those of ``where`` alone."""

    def count(condition: Any, value: Any = 1) -> Any:
        return func.sum(case((condition, value), else_=0))

    scored = ACCEPTED & D.c.quality_score.is_not(None)
    query = (
        select(
            group,
            label,
            func.count(),
            count(DELIVERED),
            count(or_(DELIVERED, D.c.due_date < sql_day(conn, today))),
            count(ON_TIME),
            count(ACCEPTED),
            count(FIRST_TIME_RIGHT),
            count(scored, D.c.quality_score),
            count(scored),
            count(DELIVERED, D.c.rework_rounds),
        )
        .select_from(D.join(C, C.c.id == D.c.contract_id))
        .where(
            D.c.status != "cancelled",
            D.c.due_date >= sql_day(conn, start),
            D.c.due_date <= sql_day(conn, end),
            *where,
        )
        .group_by(group, label)
    )
    return {
        (key, str(period)): Figures(*(int(n or 0) for n in numbers))
        for key, period, *numbers in conn.execute(query)
    }


def _targets(row: Any) -> Targets:
    return Targets(row.sla_on_time_pct, row.sla_min_quality, row.sla_max_rework, row.sla_period)


def _contracts(conn: Connection, *where: Any) -> list[Any]:
    query = (
        select(
            C.c.id,
            C.c.code,
            C.c.title,
            P.c.name.label("provider"),
            C.c.owner,
            C.c.sla_on_time_pct,
            C.c.sla_min_quality,
            C.c.sla_max_rework,
            C.c.sla_period,
        )
        .select_from(C.join(P, P.c.id == C.c.provider_id))
        .where(*where)
        .order_by(C.c.code)
    )
    return list(conn.execute(query))


def _with_targets() -> Any:
    """Spelled as the partial index ix_contract_sla is, so the planners use it."""
    return text(f"({SLA_SET})")


def _provider_id(conn: Connection, name: str) -> int:
    found = conn.execute(select(P.c.id).where(P.c.name == name)).scalar()
    if found is None:
        raise NotFoundError(f"no provider named {name!r}")
    return int(found)


# -- what the front ends ask ----------------------------------------------------------------


def contracts_sla(
    store: Store,
    today: date | None = None,
    *,
    period: Period | None = None,
    provider: str | None = None,
) -> list[ContractSla]:
    """Every contract with a target (``provider``: that provider's), its figures and
    checks for ``period``, or, by default, for the period of its own kind today is in."""
    with store.read() as conn:
        return contracts_sla_in(conn, today or clock_today(), period=period, provider=provider)


def contracts_sla_in(
    conn: Connection, today: date, *, period: Period | None = None, provider: str | None = None
) -> list[ContractSla]:
    """:func:`contracts_sla` in an open read (the agenda's SLA item reads it there)."""
    least = settings.get(conn, settings.SLA_MIN_DELIVERABLES)
    where = [_with_targets()]
    if provider is not None:
        where.append(C.c.provider_id == _provider_id(conn, provider))
    contracts = _contracts(conn, *where)
    span = period or period_of(today, QUARTER)  # a month lies in its quarter
    label = _label(conn, period.kind) if period else _contract_label(conn)
    counts = _counts(conn, today, span.start, span.end, D.c.contract_id, label, *where)
    found = []
    for row in contracts:
        targets = _targets(row)
        shown = period or period_of(today, targets.period)
        figures = counts.get((row.id, shown.label), Figures())
        checks = check(targets, figures, least)
        found.append(
            ContractSla(
                row.code,
                row.title,
                row.provider,
                row.owner,
                targets,
                [PeriodSla(shown, figures, checks)],
            )
        )
    return found


def contract_trend(
    store: Store, code: str, today: date | None = None, *, count: int = TREND_PERIODS
) -> ContractSla:
    """Contract ``code``'s targets and its figures over the last ``count`` periods of its
    SLA period, the current one last (a period with nothing due has zero figures)."""
    today = today or clock_today()
    with store.read() as conn:
        least = settings.get(conn, settings.SLA_MIN_DELIVERABLES)
        rows = _contracts(conn, C.c.code == code)
        if not rows:
            raise NotFoundError(f"no contract with code {code!r}")
        row = rows[0]
        targets = _targets(row)
        periods = period_of(today, targets.period).last(count)
        counts = _counts(
            conn,
            today,
            periods[0].start,
            periods[-1].end,
            D.c.contract_id,
            _label(conn, targets.period),
            C.c.id == row.id,
        )
    shown = []
    for p in periods:
        figures = counts.get((row.id, p.label), Figures())
        shown.append(PeriodSla(p, figures, check(targets, figures, least)))
    return ContractSla(row.code, row.title, row.provider, row.owner, targets, shown)


def provider_trend(
    store: Store,
    name: str,
    today: date | None = None,
    *,
    kind: str = QUARTER,
    count: int = TREND_PERIODS,
) -> list[PeriodSla]:
    """Provider ``name``'s figures over all its contracts for the last ``count`` periods
    of ``kind``, oldest first (no checks: targets belong to contracts)."""
    today = today or clock_today()
    periods = period_of(today, kind).last(count)
    with store.read() as conn:
        provider_id = _provider_id(conn, name)
        counts = _counts(
            conn,
            today,
            periods[0].start,
            periods[-1].end,
            C.c.provider_id,
            _label(conn, kind),
            C.c.provider_id == provider_id,
        )
    return [PeriodSla(p, counts.get((provider_id, p.label), Figures())) for p in periods]


def on_time_series(
    store: Store, today: date | None = None, *, kind: str = QUARTER, count: int = TREND_PERIODS
) -> dict[str, list[float | None]]:
    """Per provider with work due in them, the on-time % of each of the last ``count``
    periods of ``kind``, oldest first (None: nothing settled in that period)."""
    today = today or clock_today()
    periods = period_of(today, kind).last(count)
    grouped = (C.c.provider_id + 0).label("provider_id")  # see insights.reliability
    with store.read() as conn:
        counts = _counts(
            conn, today, periods[0].start, periods[-1].end, grouped, _label(conn, kind)
        )
        ids = {key for key, _ in counts}
        named = select(P.c.id, P.c.name).where(P.c.id.in_(ids))
        names: dict[int, str] = dict(conn.execute(named).all()) if ids else {}
    return {
        names[key]: [
            counts[(key, p.label)].on_time_pct if (key, p.label) in counts else None
            for p in periods
        ]
        for key in sorted(ids, key=lambda key: names[key])
    }


def breaches(
    store: Store, today: date | None = None, *, period: Period | None = None
) -> list[Breach]:
    """Every target missed with enough work due, in ``period`` or (by default) in each
    contract's current period: one per contract and target, by contract code."""
    return [
        Breach(c.code, c.provider, c.owner, p.period.label, b.target, b.wanted, b.actual)
        for c in contracts_sla(store, today, period=period)
        for p in c.periods
        for b in p.breaches
        if b.actual is not None
    ]


def providers_in_breach(store: Store, today: date | None = None) -> set[str]:
    """Providers with a contract in breach in its current period."""
    return {b.provider for b in breaches(store, today)}
