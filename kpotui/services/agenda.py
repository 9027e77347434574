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
}
"""Item kind -> the query that finds it (one query may find two kinds)."""


def agenda(
    store: Store,
    today: date,
    *,
    within_days: int = DEFAULT_WITHIN_DAYS,
    owner: str | None = None,
    kinds: Iterable[str] | None = None,
    include_acknowledged: bool = False,
) -> list[Item]:
    """Every item dated by ``today + within_days`` (notice deadlines from their first lead
    time), overdue ones included, by date; ``owner``: only items that person must act on
    (any case); acknowledged items only with ``include_acknowledged`` (marked so)."""
    wanted = set(kinds or ITEM_KINDS)
    queries = list(dict.fromkeys(ITEM_KINDS[kind] for kind in ITEM_KINDS if kind in wanted))
    person = owner.casefold() if owner else None
    with store.read() as conn:
        w = window(conn, today, within_days)
        found = [
            item
            for query in queries
            for item in query(conn, w)
            if item.kind in wanted
            and (person is None or person in (name.casefold() for name in item.responsible))
        ]
        acked = agenda_acks.acknowledged(conn)
    items = []
    for item in found:
        if (item.id, item.record_version) in acked:
            if not include_acknowledged:
                continue
            item = replace(item, acknowledged=True)
        items.append(item)
    return sorted(items, key=lambda item: (item.day, item.kind, item.record_key))


def lead_times(store: Store) -> tuple[int, ...]:
    """The firm's lead times (days before an item it is announced), largest first."""
    return tuple(int(day) for day in settings.get(store, settings.AGENDA_LEAD_TIMES).split(","))


@dataclass(frozen=True)
class Figures:
    """The agenda in two numbers, for the dashboard's top line."""

    items: int
    overdue: int


def figures(store: Store, today: date) -> Figures:
    """How many items the agenda lists today (acknowledged ones left out), and how many
    of them are overdue."""
    items = agenda(store, today)
    return Figures(len(items), sum(1 for item in items if item.day < today))


def responsible_people(items: Iterable[Item]) -> list[str]:
    """Everyone named on ``items``, sorted (for the agenda's filter by person)."""
    return sorted({name for item in items for name in item.responsible}, key=str.casefold)
