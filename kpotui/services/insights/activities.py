"""Question 2: the core / non-core matrix, and knowledge retention of outsourced work."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select

from kpotui import models as m
from kpotui.services import money as money_service
from kpotui.services.clock import today as clock_today
from kpotui.services.insights.sql import C, N, T, money, sql_day
from kpotui.services.money import Total, per_currency
from kpotui.services.statuses import OUTSOURCED
from kpotui.store import Store


@dataclass(frozen=True)
class MatrixCell:
    classification: str
    sourcing: str
    count: int
    in_house_monthly_cost: dict[str, Decimal]
    """Currency -> amount (only currencies with activities in the cell)."""
    outsourced_monthly_cost: dict[str, Decimal]


@dataclass(frozen=True)
class Matrix:
    cells: list[MatrixCell]
    """Every crossing of classification and sourcing, even empty ones."""
    outsourced_cost: Total
    """What outsourced and hybrid activities cost a month, per currency and converted."""
    outsourced_in_house_cost: Total
    """What the same activities would cost a month in-house."""


def sourcing_matrix(store: Store, today: date | None = None) -> Matrix:
    """Activities by classification x sourcing, with monthly costs per currency, and what
    outsourced work costs against doing it in-house (converted at the rates of ``today``)."""
    today = today or clock_today()
    query = select(
        T.c.classification,
        T.c.sourcing,
        T.c.currency,
        func.count(),
        func.sum(T.c.in_house_monthly_cost_minor),
        func.sum(T.c.outsourced_monthly_cost_minor),
    ).group_by(T.c.classification, T.c.sourcing, T.c.currency)
    with store.read() as conn:
        rows = conn.execute(query).all()
        convert = money_service.converter(conn, today, {r[2] for r in rows})
    found: dict[tuple[str, str], list[Any]] = {}
    for classification, sourcing, currency, count, in_house, outsourced in rows:
        cell = found.setdefault((classification, sourcing), [0, {}, {}])
        cell[0] += count
        if in_house is not None:
            cell[1][currency] = money(in_house)
        if outsourced is not None:
            cell[2][currency] = money(outsourced)
    cells = []
    for classification in m.Classification:
        for sourcing in m.Sourcing:
            count, in_house, outsourced = found.get((classification.value, sourcing.value)) or (
                0,
                {},
                {},
            )
            cells.append(
                MatrixCell(classification.value, sourcing.value, count, in_house, outsourced)
            )
    handed = [c for c in cells if c.sourcing in OUTSOURCED]
    paid = per_currency(p for c in handed for p in c.outsourced_monthly_cost.items())
    would_be = per_currency(p for c in handed for p in c.in_house_monthly_cost.items())
    return Matrix(cells, convert.total(paid), convert.total(would_be))


@dataclass(frozen=True)
class AtRisk:
    id: int
    name: str
    contract: str | None
    owner: str | None
    fresh_notes: int
    stale_notes: int
    knowledge_risk: str | None = None

    @property
    def reasons(self) -> list[str]:
        out = [f"{self.knowledge_risk} knowledge risk"] if self.knowledge_risk else []
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
    at_risk_count: int
    """Outsourced core activities with no owner or no fresh note."""
    at_risk: list[AtRisk] = field(default_factory=list)
    """The first of those by knowledge risk, high first, then by name (all of them unless
    a limit was given)."""


KNOWLEDGE_RISK_ORDER: tuple[str | None, ...] = ("high", "medium", "low", None)
"""The order at-risk activities are listed in: what would be hardest to take back first."""


WALK_WHEN_AT_RISK_TIMES_LIMIT = 10
"""List the first at-risk activities by walking all activities in name order only when at
least this many times the limit are at risk (so the walk stops early)."""


def retention(store: Store, today: date | None = None, *, limit: int | None = None) -> Retention:
    """Knowledge retention coverage of outsourced work, and the core activities at risk
    (``limit``: list at most that many, by knowledge risk high first, then name; the
    counts always cover all).

    A note is *fresh* when it has no ``review_by`` or its ``review_by`` is not past.
    """
    today = today or clock_today()
    with store.read() as conn:
        t = sql_day(conn, today)
        is_fresh = or_(N.c.review_by.is_(None), N.c.review_by >= t)
        notes_of_task = select(func.count()).where(N.c.task_id == T.c.id)
        has_fresh = select(N.c.task_id).where(N.c.task_id == T.c.id, is_fresh).exists()
        has_owner = and_(T.c.owner.is_not(None), T.c.owner != "")
        # Outsourced activities by (classification, owned), all of them and those with a
        # fresh note: the second takes the few activities named by fresh notes (one pass
        # over ix_note_task) rather than looking for a note of every activity.
        by_owner = (
            select(T.c.classification, has_owner.label("owned"), T.c.knowledge_risk, func.count())
            .where(T.c.sourcing.in_(OUTSOURCED))
            .group_by(T.c.classification, has_owner, T.c.knowledge_risk)
        )
        with_fresh = by_owner.where(T.c.id.in_(select(N.c.task_id).where(is_fresh)))
        count: Counter[tuple[bool, bool, bool, str | None]] = Counter()
        for fresh, query in ((False, by_owner), (True, with_fresh)):
            for classification, owned, level, n in conn.execute(query):
                count[(classification == "core", bool(owned), fresh, level)] += n
        at_risk_by_level = {
            level: count[(True, False, False, level)]
            + count[(True, True, False, level)]
            - count[(True, True, True, level)]
            for level in KNOWLEDGE_RISK_ORDER
        }
        risky = (
            select(
                T.c.id,
                T.c.name,
                C.c.code,
                T.c.owner,
                notes_of_task.where(is_fresh).scalar_subquery().label("fresh"),
                notes_of_task.where(N.c.review_by < t).scalar_subquery().label("stale"),
                T.c.knowledge_risk,
            )
            .select_from(T.outerjoin(C, C.c.id == T.c.contract_id))
            .where(
                T.c.sourcing.in_(OUTSOURCED),
                T.c.classification == "core",
                or_(~has_owner, ~has_fresh),
            )
        )
        rows: list[Any] = []
        for level in KNOWLEDGE_RISK_ORDER:  # one level at a time: each in name order
            wanted = None if limit is None else limit - len(rows)
            if wanted == 0:
                break
            if not at_risk_by_level[level]:
                continue
            of_level = risky.where(
                T.c.knowledge_risk.is_(None) if level is None else T.c.knowledge_risk == level
            )
            if (
                wanted is not None
                and at_risk_by_level[level] >= WALK_WHEN_AT_RISK_TIMES_LIMIT * wanted
            ):
                # Plenty at risk: walking the activities in name order finds the first
                # ``wanted`` of them after a few hundred names.
                of_level = of_level.order_by(T.c.name).limit(wanted)
            else:
                # Few at risk (or all wanted): that walk would read nearly every activity,
                # one lookup each. ``name || ''`` sorts exactly as ``name`` but keeps SQLite
                # from walking, so it finds the few through ix_task_matrix and sorts them.
                of_level = of_level.order_by(T.c.name + "").limit(wanted)
            rows.extend(conn.execute(of_level).all())

    def total(*, owned: bool | None = None, fresh: bool = False) -> int:
        return sum(
            n
            for (_, is_owned, is_fresh, _), n in count.items()
            if is_fresh == fresh and owned in (None, is_owned)
        )

    return Retention(
        outsourced=total(),
        with_owner=total(owned=True),
        with_fresh_note=total(fresh=True),
        covered=total(owned=True, fresh=True),
        at_risk_count=sum(at_risk_by_level.values()),
        at_risk=[
            AtRisk(r.id, r.name, r.code, r.owner, r.fresh, r.stale, r.knowledge_risk) for r in rows
        ],
    )
