"""The agenda: every dated obligation of the firm, with what to do and who must act.

An item kind is one query function (:mod:`kpotui.services.agenda_items`) and one entry of
:data:`ITEM_KINDS`. Acknowledged items leave the agenda until their date or record changes
(:mod:`kpotui.services.agenda_acks`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection

from kpotui.services import agenda_acks, settings
from kpotui.services.agenda_items import (
    DEFAULT_WITHIN_DAYS,
    GROUPS,
    WEEK_DAYS,
    Item,
    ItemQuery,
    Window,
    certificates_expiring,
    contract_terms,
    deliverables_due,
    deliverables_to_review,
    notes_to_review,
    proposed_decisions,
    security_reviews,
)
from kpotui.services.agenda_sla import sla_breaches
from kpotui.store import Store

__all__ = [
    "DEFAULT_WITHIN_DAYS",
    "GROUPS",
    "ITEM_KINDS",
    "Figures",
    "Item",
    "Window",
    "agenda",
    "figures",
    "grouped",
    "responsible_people",
    "window",
]


def window(
    source: Store | Connection, today: date, within_days: int = DEFAULT_WITHIN_DAYS
) -> Window:
    """The window from ``today`` to ``within_days`` ahead, with the firm's settings."""
    loaded = settings.load(source)

    def value(setting: settings.FirmSetting[Any]) -> Any:
        return settings.value_of(loaded[setting.key])

    return Window(
        today=today,
        horizon=today + timedelta(days=within_days),
        review_days=value(settings.AGENDA_REVIEW_DAYS),
        lead_times=tuple(int(day) for day in value(settings.AGENDA_LEAD_TIMES).split(",")),
        security_review_days={
            "restricted": value(settings.SECURITY_REVIEW_RESTRICTED_DAYS),
            "confidential": value(settings.SECURITY_REVIEW_CONFIDENTIAL_DAYS),
            "internal": value(settings.SECURITY_REVIEW_INTERNAL_DAYS),
        },
        decision_days=value(settings.PROPOSED_DECISION_DAYS),
    )


ITEM_KINDS: dict[str, ItemQuery] = {
    "deliverable-due": deliverables_due,
    "deliverable-review": deliverables_to_review,
    "notice-deadline": contract_terms,
    "lapsed-contract": contract_terms,
    "certificate-expiry": certificates_expiring,
    "security-review": security_reviews,
    "note-review": notes_to_review,
    "proposed-decision": proposed_decisions,
    "sla-breach": sla_breaches,
}
"""Item kind -> the query that finds it (one query may find two kinds)."""


def _found(conn: Connection, w: Window, wanted: set[str]) -> list[Item]:
    queries = dict.fromkeys(ITEM_KINDS[kind] for kind in ITEM_KINDS if kind in wanted)
    return [item for query in queries for item in query(conn, w) if item.kind in wanted]


def agenda(
    store: Store,
    today: date,
    *,
    within_days: int = DEFAULT_WITHIN_DAYS,
    owner: str | None = None,
    kinds: Iterable[str] | None = None,
    include_acknowledged: bool = False,
    first: date | None = None,
    last: date | None = None,
    limit: int | None = None,
) -> list[Item]:
    """Every item dated by ``today + within_days`` (notice deadlines from their first lead
    time), overdue ones included, by date; ``owner``: only items that person must act on
    (any case); acknowledged items only with ``include_acknowledged`` (marked so).

    ``first`` and ``last`` list only the items dated between them (a group of the
    screen), ``limit`` only the earliest so many: each kind's query reads no more.
    """
    wanted = set(kinds or ITEM_KINDS)
    person = owner.lower() if owner else None
    with store.read() as conn:
        hidden = dict(agenda_acks.hiding(conn))
        w = replace(
            window(conn, today, within_days),
            first=first,
            limit=None if limit is None else limit + len(hidden),
            person=person if person and person.isascii() else None,  # SQL lower() is ASCII
        )
        if last is not None:
            w = replace(w, horizon=last)
        found = _found(conn, w, wanted)
    items = []
    for item in found:
        if person is not None and person not in (name.lower() for name in item.responsible):
            continue
        if (first is not None and item.day < first) or (last is not None and item.day > last):
            continue
        if item.id in hidden:
            if not include_acknowledged:
                continue
            item = replace(item, acknowledged=True)
        items.append(item)
    items.sort(key=lambda item: (item.day, item.kind, item.record_key))
    return items if limit is None else items[:limit]


def lead_times(store: Store) -> tuple[int, ...]:
    """The firm's lead times (days before an item it is announced), largest first."""
    return tuple(int(day) for day in settings.get(store, settings.AGENDA_LEAD_TIMES).split(","))


@dataclass(frozen=True)
class Figures:
    """The agenda in two numbers, for the dashboard's top line."""

    items: int
    overdue: int


def _census(conn: Connection, w: Window) -> tuple[dict[str, tuple[int, int]], list[Item]]:
    """The SQL kinds counted (kind -> items, overdue) without reading them, and the items
    of the kinds worked out in Python (a few hundred contracts and providers)."""
    counts: dict[str, tuple[int, int]] = {}
    listed = _found(conn, replace(w, counts=counts), set(ITEM_KINDS))
    return counts, [item for item in listed if item.kind not in counts]


def _figures(
    w: Window, counts: dict[str, tuple[int, int]], listed: list[Item], hidden: dict[str, date]
) -> Figures:
    shown = [item for item in listed if item.id not in hidden]
    total = sum(n for n, _ in counts.values()) + len(shown)
    overdue = sum(late for _, late in counts.values()) + sum(i.day < w.today for i in shown)
    for item_id, day in hidden.items():  # acknowledged, still counted in SQL
        if item_id.split(":")[0] in counts and day <= w.horizon:
            total -= 1
            overdue -= day < w.today
    return Figures(total, overdue)


def figures(store: Store, today: date) -> Figures:
    """How many items the agenda lists today (acknowledged ones left out), and how many
    of them are overdue: counted in SQL, without reading the items."""
    with store.read() as conn:
        w = window(conn, today)
        counts, listed = _census(conn, w)
        hidden = dict(agenda_acks.hiding(conn))
    return _figures(w, counts, listed, hidden)


def grouped(
    store: Store, today: date, *, owner: str | None = None, limit: int
) -> tuple[dict[str, list[Item]], Figures | None]:
    """The earliest ``limit`` items of each group, for the screen (a firm with thousands
    overdue still sees what is due this week), and the figures of everyone's agenda
    (None for one person's). Each SQL kind reads at most ``limit`` rows a group."""
    person = owner.lower() if owner else None
    with store.read() as conn:
        hidden = dict(agenda_acks.hiding(conn))
        w = window(conn, today)
        counts, listed = _census(conn, w)
        figures = _figures(w, counts, listed, hidden) if person is None else None
        sql_person = person if person and person.isascii() else None
        fetch = limit + len(hidden)
        starts = [None, today, today + timedelta(days=WEEK_DAYS)]
        ends = [today, today + timedelta(days=WEEK_DAYS), w.horizon + timedelta(days=1)]
        for first, after in zip(starts, ends, strict=True):
            end = after - timedelta(days=1)
            part = replace(w, first=first, horizon=end, limit=fetch, person=sql_person)
            listed += _found(conn, part, set(counts))
    groups: dict[str, list[Item]] = {name: [] for name in GROUPS}
    for item in sorted(listed, key=lambda item: (item.day, item.kind, item.record_key)):
        if item.id in hidden or (
            person is not None and person not in (name.lower() for name in item.responsible)
        ):
            continue
        group = groups[item.group(today)]
        if len(group) < limit:
            group.append(item)
    return groups, figures


def responsible_people(items: Iterable[Item]) -> list[str]:
    """Everyone named on ``items``, sorted (for the agenda's filter by person)."""
    return sorted({name for item in items for name in item.responsible}, key=str.casefold)
