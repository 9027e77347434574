"""Who holds the knowledge of each activity, and what the firm would lose with a person.

An activity's knowledge holders are its owner, the authors of its fresh notes and the
reviewers of its contract's deliverables in the last :data:`REVIEW_WINDOW_DAYS` days (a
deliverable counts as reviewed on its acceptance day, or else its submission day). Names
are compared as written, blanks around them ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select, union

from kpotui.services.clock import today as clock_today
from kpotui.services.insights.sql import C, D, N, T, sql_day
from kpotui.services.statuses import LIVE_CONTRACT, OUTSOURCED
from kpotui.store import Store

REVIEW_WINDOW_DAYS = 180
"""A reviewer holds an activity's knowledge this long after reviewing its work."""
FEW_HOLDERS = 2
"""An outsourced activity of high knowledge risk with fewer holders than this is flagged."""


@dataclass(frozen=True)
class Holders:
    id: int
    name: str
    classification: str
    sourcing: str
    knowledge_risk: str | None
    holders: list[str]

    @property
    def flagged(self) -> bool:
        """Outsourced, high knowledge risk, and fewer than :data:`FEW_HOLDERS` holders."""
        return (
            self.sourcing in OUTSOURCED
            and self.knowledge_risk == "high"
            and len(self.holders) < FEW_HOLDERS
        )


@dataclass(frozen=True)
class PersonLoss:
    person: str
    sole_holder_of: list[str] = field(default_factory=list)
    """Activities where this person is the only holder."""
    holds: int = 0
    """Activities they hold knowledge of, alone or not."""
    contracts_owned: list[str] = field(default_factory=list)
    """Live contracts they own (codes)."""


def _set(column: Any) -> Any:
    return and_(column.is_not(None), func.trim(column) != "")


def holder_pairs(conn: Connection, today: date, *, where: Any = None) -> dict[int, set[str]]:
    """Activity id -> its holders, for the activities matching ``where`` (a condition on
    the task table), in one query."""
    since = sql_day(conn, today - timedelta(days=REVIEW_WINDOW_DAYS))
    t = sql_day(conn, today)
    reviewed = func.coalesce(D.c.accepted_date, D.c.submitted_date)
    owners = select(T.c.id.label("task"), func.trim(T.c.owner).label("person")).where(
        _set(T.c.owner)
    )
    authors = (
        select(N.c.task_id, func.trim(N.c.author))
        .select_from(N.join(T, T.c.id == N.c.task_id))
        .where(_set(N.c.author), or_(N.c.review_by.is_(None), N.c.review_by >= t))
    )
    reviewers = (
        select(T.c.id, func.trim(D.c.reviewer))
        .select_from(T.join(D, D.c.contract_id == T.c.contract_id))
        .where(_set(D.c.reviewer), reviewed >= since, reviewed <= t)
    )
    if where is not None:
        owners, authors, reviewers = (q.where(where) for q in (owners, authors, reviewers))
    found: dict[int, set[str]] = {}
    for task, person in conn.execute(union(owners, authors, reviewers)):
        found.setdefault(task, set()).add(person)
    return found


def by_activity(store: Store, today: date | None = None, *, where: Any = None) -> list[Holders]:
    """Every activity (matching ``where``) with its holders: flagged ones first, then
    fewest holders, then by name."""
    today = today or clock_today()
    with store.read() as conn:
        held = holder_pairs(conn, today, where=where)
        query = select(T.c.id, T.c.name, T.c.classification, T.c.sourcing, T.c.knowledge_risk)
        if where is not None:
            query = query.where(where)
        rows = conn.execute(query).all()
    found = [Holders(*row, holders=sorted(held.get(row.id, ()))) for row in rows]
    found.sort(key=lambda h: (not h.flagged, len(h.holders), h.name))
    return found


def thinly_held(store: Store, today: date | None = None) -> list[Holders]:
    """Outsourced activities of high knowledge risk with fewer than two holders."""
    where = and_(T.c.sourcing.in_(OUTSOURCED), T.c.knowledge_risk == "high")
    return [h for h in by_activity(store, today, where=where) if h.flagged]


def by_person(store: Store, today: date | None = None) -> list[PersonLoss]:
    """Per person, what the firm would lose if they left: sole-holder activities first."""
    today = today or clock_today()
    with store.read() as conn:
        held = holder_pairs(conn, today)
        names: dict[int, str] = dict(conn.execute(select(T.c.id, T.c.name)).all())
        owned = conn.execute(
            select(func.trim(C.c.owner), C.c.code)
            .where(_set(C.c.owner), C.c.status.in_(LIVE_CONTRACT))
            .order_by(C.c.code)
        ).all()
    people: dict[str, PersonLoss] = {}

    def person(name: str) -> PersonLoss:
        return people.setdefault(name, PersonLoss(name))

    for task, holders in held.items():
        for name in holders:
            loss = person(name)
            people[name] = PersonLoss(
                name,
                [*loss.sole_holder_of, names[task]] if len(holders) == 1 else loss.sole_holder_of,
                loss.holds + 1,
                loss.contracts_owned,
            )
    for name, code in owned:
        loss = person(name)
        people[name] = PersonLoss(
            name, loss.sole_holder_of, loss.holds, [*loss.contracts_owned, code]
        )
    out = [
        PersonLoss(p.person, sorted(p.sole_holder_of), p.holds, p.contracts_owned)
        for p in people.values()
    ]
    out.sort(key=lambda p: (-len(p.sole_holder_of), -len(p.contracts_owned), p.person))
    return out


def holders_of(
    store: Store, task_ids: Iterable[int], today: date | None = None
) -> dict[int, list[str]]:
    """Activity id -> its holders, for a few activities (a screen's)."""
    ids = sorted(set(task_ids))
    with store.read() as conn:
        held = holder_pairs(conn, today or clock_today(), where=T.c.id.in_(ids))
    return {i: sorted(held.get(i, ())) for i in ids}
