"""Exit readiness: how ready the firm is to take a contract's work back or move it.

A score from 100 down, every deduction listed with its rule, points and reason. The rules
and their weights are :data:`RULES` (documented in ``docs/exit.md``). Everything a score
needs is read for a set of contracts at once, in three aggregate queries, so a page of a
list or every contract of a provider costs the same few queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import Connection, Select, and_, case, func, or_, select

from kpotui.models import DecisionMaker, NoteKind
from kpotui.services import terms
from kpotui.services.clock import today as clock_today
from kpotui.services.errors import NotFoundError
from kpotui.services.insights.sql import DEC, C, N, P, T, as_date, sql_day
from kpotui.services.statuses import LIVE_CONTRACT
from kpotui.store import Store

DOCUMENTING = (NoteKind.RUNBOOK.value, NoteKind.HANDOVER.value)
"""Note kinds that tell someone how to do the work: what a take-back needs."""
REVIEW_DAYS = 365
"""An exit plan is due for review this long after its last one."""


@dataclass(frozen=True)
class Rule:
    name: str
    points: int
    what: str
    """The rule in one line, for docs and help."""


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule("undocumented", 20, "a covered activity has no runbook or hand-over note"),
        Rule("stale-runbook", 10, "a covered activity's runbooks and hand-overs are all stale"),
        Rule("unowned", 15, "a covered activity has no internal owner"),
        Rule("long-transition", 15, "the transition takes longer than the notice period"),
        Rule("no-transition", 10, "no transition time is estimated"),
        Rule("no-alternative", 10, "no alternative (a provider or in-house) is named"),
        Rule("plan-not-reviewed", 10, f"the plan is unreviewed or {REVIEW_DAYS}+ days old"),
        Rule("irreversible-decision", 10, "the provider took an irreversible decision"),
    )
}


@dataclass(frozen=True)
class Deduction:
    rule: str
    points: int
    reason: str

    @property
    def text(self) -> str:
        return f"\N{MINUS SIGN}{self.points} {self.reason}"


@dataclass(frozen=True)
class Activity:
    """An activity a contract covers, with what its retention notes say."""

    id: int
    name: str
    contract_id: int | None
    classification: str
    knowledge_risk: str | None
    owner: str | None
    hours_per_month: float | None
    currency: str
    in_house_monthly_cost_minor: int | None
    outsourced_monthly_cost_minor: int | None
    fresh_notes: int
    stale_notes: int
    fresh_docs: int
    """Fresh runbooks and hand-over notes."""
    stale_docs: int

    @property
    def notes_state(self) -> str:
        """``fresh``, ``stale`` or ``none``: the retention notes on it."""
        if self.fresh_notes:
            return "fresh"
        return "stale" if self.stale_notes else "none"

    @property
    def documented(self) -> bool:
        """Has a runbook or hand-over note at all."""
        return bool(self.fresh_docs or self.stale_docs)


@dataclass(frozen=True)
class IrreversibleDecision:
    contract_id: int
    date: date
    summary: str


@dataclass(frozen=True)
class Readiness:
    contract_id: int
    code: str
    title: str
    provider: str
    status: str
    notice_days: int | None
    assets: list[str]
    alternative: str | None
    transition_weeks: int | None
    plan_reviewed: date | None
    earliest_exit: date | None
    today: date
    activities: list[Activity] = field(default_factory=list)
    decisions: list[IrreversibleDecision] = field(default_factory=list)

    @cached_property
    def deductions(self) -> list[Deduction]:
        return deductions_of(self, self.today)

    @property
    def score(self) -> int:
        return max(0, 100 - sum(d.points for d in self.deductions))

    @property
    def core(self) -> bool:
        """Covers core work."""
        return any(a.classification == "core" for a in self.activities)


def earliest_exit(
    *,
    status: str,
    end_date: date | None,
    notice_days: int | None,
    auto_renew: bool,
    renewal_term_months: int | None,
    today: date,
) -> date | None:
    """The first day the firm can be out of a contract by giving notice today.

    The current term's end while its notice deadline is still ahead (or today); past it,
    the end of the next term for an auto-renewing contract (a contract that does not renew
    ends anyway). Without an end date: today plus the notice period. None for a contract
    not in force.
    """
    if status not in LIVE_CONTRACT:
        return None
    if end_date is None:
        return today + timedelta(days=notice_days or 0)
    term = terms.current_term(
        status=status,
        end_date=end_date,
        notice_days=notice_days,
        auto_renew=auto_renew,
        renewal_term_months=renewal_term_months,
        today=today,
    )
    if today <= term.notice_deadline or not auto_renew:
        return term.end
    months = renewal_term_months or terms.DEFAULT_RENEWAL_TERM_MONTHS
    return terms.rolled_end(end_date, months, term.end + timedelta(days=1))


def covered_activities(
    conn: Connection, contract_ids: Iterable[int], today: date
) -> list[Activity]:
    """The activities the contracts cover, by name, with their notes counted (one query)."""
    ids = sorted(set(contract_ids))
    if not ids:
        return []
    t = sql_day(conn, today)
    fresh = or_(N.c.review_by.is_(None), N.c.review_by >= t)
    doc = N.c.kind.in_(DOCUMENTING)

    def counted(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    notes = (
        select(
            N.c.task_id,
            counted(fresh).label("fresh"),
            counted(~fresh).label("stale"),
            counted(and_(fresh, doc)).label("fresh_docs"),
            counted(and_(~fresh, doc)).label("stale_docs"),
        )
        .select_from(N.join(T, T.c.id == N.c.task_id))
        .where(T.c.contract_id.in_(ids))
        .group_by(N.c.task_id)
        .subquery()
    )
    query = (
        select(
            T.c.id,
            T.c.name,
            T.c.contract_id,
            T.c.classification,
            T.c.knowledge_risk,
            T.c.owner,
            T.c.hours_per_month,
            T.c.currency,
            T.c.in_house_monthly_cost_minor,
            T.c.outsourced_monthly_cost_minor,
            func.coalesce(notes.c.fresh, 0),
            func.coalesce(notes.c.stale, 0),
            func.coalesce(notes.c.fresh_docs, 0),
            func.coalesce(notes.c.stale_docs, 0),
        )
        .select_from(T.outerjoin(notes, notes.c.task_id == T.c.id))
        .where(T.c.contract_id.in_(ids))
    )
    # Sorted here: ordered by name, SQLite would walk every activity in name order.
    found = [Activity(*row) for row in conn.execute(query)]  # type: ignore[call-arg]
    return sorted(found, key=lambda a: a.name)


def irreversible_decisions(
    conn: Connection, contract_ids: Iterable[int] | Select[Any]
) -> list[IrreversibleDecision]:
    """Irreversible decisions the provider took on the contracts (ids, or a query of
    them), newest first."""
    ids = contract_ids if isinstance(contract_ids, Select) else sorted(set(contract_ids))
    query = (
        select(DEC.c.contract_id, DEC.c.date, DEC.c.summary)
        .where(
            DEC.c.contract_id.in_(ids),
            DEC.c.made_by == DecisionMaker.PROVIDER.value,
            DEC.c.reversible.is_(False),
            DEC.c.status != "reversed",
        )
        .order_by(DEC.c.date.desc(), DEC.c.summary)
    )
    return [IrreversibleDecision(c, as_date(d) or date.min, s) for c, d, s in conn.execute(query)]


def deductions_of(r: Readiness, today: date) -> list[Deduction]:
    """Every rule of :data:`RULES` that the contract breaks, in the rules' order."""
    out: list[Deduction] = []

    def deduct(rule: str, reason: str) -> None:
        out.append(Deduction(rule, RULES[rule].points, reason))

    for a in r.activities:
        if not a.documented:
            deduct("undocumented", f"no runbook or hand-over note for {a.name}")
        elif not a.fresh_docs:
            deduct("stale-runbook", f"the runbook for {a.name} is past its review")
    for a in r.activities:
        if not (a.owner or "").strip():
            deduct("unowned", f"no internal owner for {a.name}")
    notice = r.notice_days or 0
    if r.transition_weeks is None:
        deduct("no-transition", "no transition time estimated")
    elif r.transition_weeks * 7 > notice:
        deduct(
            "long-transition",
            f"transition takes {r.transition_weeks} weeks, notice is {notice} days",
        )
    if not (r.alternative or "").strip():
        deduct("no-alternative", "no alternative named")
    if r.plan_reviewed is None:
        deduct("plan-not-reviewed", "plan never reviewed")
    elif (today - r.plan_reviewed).days > REVIEW_DAYS:
        deduct("plan-not-reviewed", f"plan not reviewed for {(today - r.plan_reviewed).days} days")
    for d in r.decisions:
        deduct(
            "irreversible-decision",
            f"provider: {d.summary} (irreversible decision {d.date.isoformat()})",
        )
    return out


def readiness_in(conn: Connection, contract_ids: Iterable[int], today: date) -> list[Readiness]:
    """The readiness of each of the contracts (in the order of ``contract_ids``)."""
    ids = list(dict.fromkeys(contract_ids))
    if not ids:
        return []
    query = (
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
            C.c.exit_assets,
            C.c.exit_alternative,
            C.c.exit_transition_weeks,
            C.c.exit_plan_reviewed,
        )
        .select_from(C.join(P, P.c.id == C.c.provider_id))
        .where(C.c.id.in_(ids))
    )
    rows = {row.id: row for row in conn.execute(query)}
    activities: dict[int, list[Activity]] = {}
    for a in covered_activities(conn, rows, today):
        activities.setdefault(a.contract_id or 0, []).append(a)
    decisions: dict[int, list[IrreversibleDecision]] = {}
    for d in irreversible_decisions(conn, rows):
        decisions.setdefault(d.contract_id, []).append(d)
    out = []
    for contract_id in ids:
        row = rows.get(contract_id)
        if row is None:
            continue
        found = Readiness(
            today=today,
            contract_id=row.id,
            code=row.code,
            title=row.title,
            provider=row.name,
            status=row.status,
            notice_days=row.notice_days,
            assets=list(row.exit_assets or []),
            alternative=row.exit_alternative,
            transition_weeks=row.exit_transition_weeks,
            plan_reviewed=as_date(row.exit_plan_reviewed),
            earliest_exit=earliest_exit(
                status=row.status,
                end_date=as_date(row.end_date),
                notice_days=row.notice_days,
                auto_renew=bool(row.auto_renew),
                renewal_term_months=row.renewal_term_months,
                today=today,
            ),
            activities=activities.get(row.id, []),
            decisions=decisions.get(row.id, []),
        )
        out.append(found)
    return out


def readiness(
    store: Store, contract_ids: Iterable[int], today: date | None = None
) -> list[Readiness]:
    """:func:`readiness_in` in a read of its own."""
    with store.read() as conn:
        return readiness_in(conn, contract_ids, today or clock_today())


def contract_ids(conn: Connection, *, code: str | None = None) -> list[int]:
    """Live contracts (or the one with ``code``, live or not), by code."""
    query = select(C.c.id).order_by(C.c.code)
    if code is not None:
        query = query.where(func.lower(C.c.code) == code.strip().lower())
    else:
        query = query.where(C.c.status.in_(LIVE_CONTRACT))
    return list(conn.scalars(query))


def least_ready(
    store: Store, today: date | None = None, *, limit: int = 10
) -> tuple[int, list[Readiness]]:
    """(live contracts, the least exit-ready of them): core work first, lowest score
    first, then by code."""
    today = today or clock_today()
    with store.read() as conn:
        found = readiness_in(conn, contract_ids(conn), today)
    found.sort(key=lambda r: (not r.core, r.score, r.code))
    return len(found), found[:limit]


@dataclass(frozen=True)
class HandOverNote:
    title: str
    kind: str
    activity: str | None
    """The covered activity it is about; None for a note on the contract itself."""
    author: str | None
    review_by: date | None


def hand_over_notes(store: Store, contract_id: int) -> list[HandOverNote]:
    """The notes to hand over on exit: those on the contract and on the activities it
    covers, runbooks and hand-overs first, then by title."""
    covered = select(T.c.id).where(T.c.contract_id == contract_id)
    query = (
        select(N.c.title, N.c.kind, T.c.name, N.c.author, N.c.review_by)
        .select_from(N.outerjoin(T, T.c.id == N.c.task_id))
        .where(or_(N.c.contract_id == contract_id, N.c.task_id.in_(covered)))
        .order_by(case((N.c.kind.in_(DOCUMENTING), 0), else_=1), N.c.title)
    )
    with store.read() as conn:
        return [
            HandOverNote(title, kind, activity, author, as_date(review_by))
            for title, kind, activity, author, review_by in conn.execute(query)
        ]


def contract_id_of(store: Store, code: str) -> int:
    """The id of the contract with ``code`` (any case); refused when there is none."""
    with store.read() as conn:
        found = contract_ids(conn, code=code)
    if not found:
        raise NotFoundError(f"no contract {code.strip()!r}")
    return found[0]
