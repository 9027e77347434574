"""The agenda's items: what one is, and the query of each item kind.

Each kind's function selects its items in SQL: only records dated inside the window, or
overdue. An item's id (``deliverable-due:4711:2026-12-10``) stays the same while its record
and date do: it is the UID of its calendar event and what an acknowledgement names
(:mod:`kpotui.services.agenda_acks`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Select, case, func, or_, select

from kpotui.services import terms
from kpotui.services.insights.sql import DEC, C, D, N, P, T, add_days, as_date, sql_day
from kpotui.services.statuses import LIVE_CONTRACT, OPEN_DELIVERABLE

DEFAULT_WITHIN_DAYS = 30
WEEK_DAYS = 7
GROUPS = ("Overdue", "This week", "Next 30 days", "Later")


@dataclass(frozen=True)
class Item:
    """One dated obligation."""

    kind: str
    """Its kind, a key of :data:`ITEM_KINDS`."""
    day: date
    record_kind: str
    record_id: int
    record_key: str
    """The record's natural key as text (``ENG-2025-003 / Monthly pack``)."""
    action: str
    """What to do, in a few words."""
    responsible: tuple[str, ...]
    """Who must act (none: nobody is named on the record)."""
    record_version: int
    acknowledged: bool = False

    @property
    def id(self) -> str:
        """Stable across runs for the same record and date."""
        return f"{self.kind}:{self.record_id}:{self.day.isoformat()}"

    @property
    def who(self) -> str:
        return ", ".join(self.responsible) or "nobody named"

    def group(self, today: date) -> str:
        """Overdue, This week (the next 7 days), Next 30 days or Later."""
        if self.day < today:
            return GROUPS[0]
        if self.day < today + timedelta(days=WEEK_DAYS):
            return GROUPS[1]
        if self.day <= today + timedelta(days=DEFAULT_WITHIN_DAYS):
            return GROUPS[2]
        return GROUPS[3]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "date": self.day.isoformat(),
            "record": {"kind": self.record_kind, "id": self.record_id, "key": self.record_key},
            "action": self.action,
            "responsible": list(self.responsible),
            "acknowledged": self.acknowledged,
        }


@dataclass(frozen=True)
class Window:
    """What the item kinds select by: the day, how far ahead, and the firm's settings."""

    today: date
    horizon: date
    """The last day listed (notice deadlines are announced earlier: ``lead_times``)."""
    review_days: int
    lead_times: tuple[int, ...]
    """Days before a notice deadline it is announced, largest first."""
    security_review_days: dict[str, int]
    """Data sensitivity -> days between security reviews."""
    decision_days: int
    first: date | None = None
    """The first day listed (None: every overdue item too)."""
    limit: int | None = None
    """At most this many items of each kind, the earliest (None: all)."""
    person: str | None = None
    """Only items this person must act on, case-folded."""
    counts: dict[str, tuple[int, int]] | None = None
    """When given, the SQL kinds count instead of listing: kind -> (items, overdue)."""


def bounded(
    conn: Connection,
    w: Window,
    kind: str,
    query: Select[Any],
    day: Any,
    offset: int,
    people: list[Any],
) -> Select[Any]:
    """``query`` narrowed to the window's items: ``day`` is the column the item's date is
    ``offset`` days after, ``people`` the columns naming who must act. With ``w.counts``
    the query is counted there, and what it returns reads no rows."""
    query = query.where(day <= sql_day(conn, w.horizon - timedelta(days=offset)))
    if w.first is not None:
        query = query.where(day >= sql_day(conn, w.first - timedelta(days=offset)))
    if w.person is not None:
        query = query.where(or_(*(func.lower(column) == w.person for column in people)))
    if w.counts is not None:
        sub = query.with_only_columns(day.label("agenda_day")).subquery()
        overdue = sub.c.agenda_day < sql_day(conn, w.today - timedelta(days=offset))
        counted = select(func.count(), func.count().filter(overdue)).select_from(sub)
        total, late = conn.execute(counted).one()
        w.counts[kind] = (total, late)
        return query.limit(0)
    if w.limit is not None:
        query = query.order_by(day).limit(w.limit)
    return query


def _rows(
    conn: Connection,
    w: Window,
    kind: str,
    query: Select[Any],
    day: Any,
    offset: int,
    people: list[Any],
) -> Any:
    return conn.execute(bounded(conn, w, kind, query, day, offset, people))


def _was_submitted() -> Any:
    return D.c.first_submitted_date.is_not(None) | D.c.submitted_date.is_not(None)


ItemQuery = Callable[[Connection, Window], Iterable[Item]]


def _names(*names: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for name in names if name))


def deliverables_due(conn: Connection, w: Window) -> Iterator[Item]:
    """Open work due by the horizon (overdue included); chased by the contract's owner,
    or by the reviewer once it was submitted (sent back for rework)."""
    rows = _rows(
        conn,
        w,
        "deliverable-due",
        select(
            D.c.id,
            D.c.title,
            D.c.due_date,
            D.c.reviewer,
            D.c.first_submitted_date,
            D.c.submitted_date,
            D.c.version,
            C.c.code,
            C.c.owner,
        )
        .select_from(D.join(C, C.c.id == D.c.contract_id))
        .where(D.c.status.in_(OPEN_DELIVERABLE)),
        D.c.due_date,
        0,
        [C.c.owner, case((_was_submitted(), D.c.reviewer))],
    )
    for row in rows:
        submitted = row.first_submitted_date or row.submitted_date
        who = _names(row.reviewer, row.owner) if submitted else _names(row.owner)
        day = as_date(row.due_date)
        assert day is not None
        action = "chase: overdue" if day < w.today else "due"
        key = f"{row.code} / {row.title}"
        yield Item("deliverable-due", day, "deliverable", row.id, key, action, who, row.version)


def deliverables_to_review(conn: Connection, w: Window) -> Iterator[Item]:
    """Submitted work, due for review ``review_days`` after its submission."""
    rows = _rows(
        conn,
        w,
        "deliverable-review",
        select(
            D.c.id,
            D.c.title,
            D.c.submitted_date,
            D.c.reviewer,
            D.c.version,
            C.c.code,
            C.c.owner,
        )
        .select_from(D.join(C, C.c.id == D.c.contract_id))
        .where(D.c.status == "submitted"),
        D.c.submitted_date,
        w.review_days,
        [func.coalesce(D.c.reviewer, C.c.owner)],
    )
    for row in rows:
        submitted = as_date(row.submitted_date)
        assert submitted is not None
        day = submitted + timedelta(days=w.review_days)
        key = f"{row.code} / {row.title}"
        who = _names(row.reviewer or row.owner)
        yield Item(
            "deliverable-review",
            day,
            "deliverable",
            row.id,
            key,
            "review the submitted work",
            who,
            row.version,
        )


def contract_terms(conn: Connection, w: Window) -> Iterator[Item]:
    """Notice deadlines of current terms, from the first lead time on, and lapsed contracts.

    SQL narrows to live contracts whose stored end is near enough (every one past it,
    rolled on or lapsed); the current term is then worked out per contract
    (:func:`kpotui.services.terms.current_term`: month arithmetic is not portable SQL).
    """
    ahead = max((*w.lead_times, (w.horizon - w.today).days))
    notice_days = func.coalesce(C.c.notice_days, 0)
    rows = conn.execute(
        select(
            C.c.id,
            C.c.code,
            C.c.status,
            C.c.end_date,
            C.c.notice_days,
            C.c.auto_renew,
            C.c.renewal_term_months,
            C.c.owner,
            C.c.version,
        ).where(
            C.c.status.in_(LIVE_CONTRACT),
            C.c.end_date.is_not(None),
            C.c.end_date <= add_days(conn, w.today, notice_days + ahead),
        )
    )
    for row in rows:
        end = as_date(row.end_date)
        assert end is not None
        term = terms.current_term(
            status=row.status,
            end_date=end,
            notice_days=row.notice_days,
            auto_renew=bool(row.auto_renew),
            renewal_term_months=row.renewal_term_months,
            today=w.today,
        )
        who = _names(row.owner)
        if term.lapsed:
            action = "lapsed: renew, complete or terminate"
            yield Item(
                "lapsed-contract", end, "contract", row.id, row.code, action, who, row.version
            )
        elif term.notice_deadline <= w.today + timedelta(days=ahead):
            day = term.notice_deadline
            then = f"it {'renews' if row.auto_renew else 'ends'} {term.end}"
            action = f"notice too late: {then}" if day < w.today else f"give notice, or {then}"
            yield Item(
                "notice-deadline", day, "contract", row.id, row.code, action, who, row.version
            )


def _provider_owners(conn: Connection, provider_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """The owners of each provider's live contracts."""
    rows = conn.execute(
        select(C.c.provider_id, C.c.owner)
        .where(
            C.c.provider_id.in_(provider_ids),
            C.c.status.in_(LIVE_CONTRACT),
            C.c.owner.is_not(None),
        )
        .distinct()
        .order_by(C.c.provider_id, C.c.owner)
    )
    owners: dict[int, tuple[str, ...]] = {}
    for provider_id, owner in rows:
        owners[provider_id] = (*owners.get(provider_id, ()), owner)
    return owners


def certificates_expiring(conn: Connection, w: Window) -> Iterator[Item]:
    """Provider certifications expiring by the horizon (expired ones too)."""
    rows = conn.execute(
        select(P.c.id, P.c.name, P.c.certification_expiry, P.c.version).where(
            P.c.certification_expiry <= sql_day(conn, w.horizon)
        )
    ).all()
    owners = _provider_owners(conn, [row.id for row in rows])
    for row in rows:
        day = as_date(row.certification_expiry)
        assert day is not None
        action = "certification expired: renew it" if day < w.today else "certification expires"
        who = owners.get(row.id, ())
        yield Item(
            "certificate-expiry", day, "provider", row.id, row.name, action, who, row.version
        )


RANK = {"internal": 1, "confidential": 2, "restricted": 3}
"""Data sensitivity that calls for security reviews, by how sensitive."""


def security_reviews(conn: Connection, w: Window) -> Iterator[Item]:
    """Providers due a security review: the last one plus the interval for the most
    sensitive data their live contracts hand over."""
    rank = case(*((C.c.data_sensitivity == name, level) for name, level in RANK.items()), else_=0)
    held = (
        select(C.c.provider_id, func.max(rank).label("rank"))
        .where(C.c.status.in_(LIVE_CONTRACT))
        .group_by(C.c.provider_id)
        .subquery()
    )
    due_by = [
        (held.c.rank == level)
        & (P.c.security_review_date <= sql_day(conn, w.horizon - timedelta(days=days)))
        for name, level in RANK.items()
        if (days := w.security_review_days[name])
    ]
    rows = conn.execute(
        select(P.c.id, P.c.name, P.c.security_review_date, P.c.version, held.c.rank)
        .select_from(P.join(held, held.c.provider_id == P.c.id))
        .where(P.c.security_review_date.is_not(None), held.c.rank > 0)
        .where(or_(*due_by))
    ).all()
    owners = _provider_owners(conn, [row.id for row in rows])
    sensitivity = {level: name for name, level in RANK.items()}
    for row in rows:
        last = as_date(row.security_review_date)
        assert last is not None
        data = sensitivity[row.rank]
        day = last + timedelta(days=w.security_review_days[data])
        action = f"review security ({data} data)"
        who = owners.get(row.id, ())
        yield Item("security-review", day, "provider", row.id, row.name, action, who, row.version)


def notes_to_review(conn: Connection, w: Window) -> Iterator[Item]:
    """Retention notes whose review date falls by the horizon; their author reviews them,
    else the owner of their activity."""
    rows = _rows(
        conn,
        w,
        "note-review",
        select(N.c.id, N.c.title, N.c.review_by, N.c.author, N.c.version, T.c.owner).select_from(
            N.outerjoin(T, T.c.id == N.c.task_id)
        ),
        N.c.review_by,
        0,
        [func.coalesce(N.c.author, T.c.owner)],
    )
    for row in rows:
        day = as_date(row.review_by)
        assert day is not None
        who = _names(row.author or row.owner)
        yield Item(
            "note-review", day, "note", row.id, row.title, "review the note", who, row.version
        )


def proposed_decisions(conn: Connection, w: Window) -> Iterator[Item]:
    """Decisions still proposed, due for ratification ``decision_days`` after their date."""
    rows = _rows(
        conn,
        w,
        "proposed-decision",
        select(DEC.c.id, DEC.c.date, DEC.c.summary, DEC.c.version, C.c.code, C.c.owner)
        .select_from(DEC.join(C, C.c.id == DEC.c.contract_id))
        .where(DEC.c.status == "proposed"),
        DEC.c.date,
        w.decision_days,
        [C.c.owner],
    )
    for row in rows:
        made = as_date(row.date)
        assert made is not None
        day = made + timedelta(days=w.decision_days)
        key = f"{row.code} / {made.isoformat()} / {row.summary}"
        action = "ratify or reverse the proposed decision"
        yield Item(
            "proposed-decision",
            day,
            "decision",
            row.id,
            key,
            action,
            _names(row.owner),
            row.version,
        )
