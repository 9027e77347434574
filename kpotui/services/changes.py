"""Noticing other sessions' changes: a cheap marker of the database's state, and the audit
events written since a marker was read.

Every change to a record or a firm setting appends an audit event, whose id only grows,
and every setting write raises that setting's version: the marker is the newest event id
and the sum of the settings' versions, read in one query on the primary key (and the
settings table, a few rows). A session reads it every few seconds and, when it moved,
reads the events after the id it had (see :mod:`kpotui.tui.watch`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from kpotui.models import Setting
from kpotui.services import audit
from kpotui.store import Store

SETTINGS = Setting.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Marker:
    """Where the database stood when it was read; a write by anyone moves it."""

    event_id: int
    """The newest audit event's id (0: none yet)."""
    settings: int
    """The sum of the settings' versions (0: none set)."""


def marker(store: Store) -> Marker:
    """The database's marker now: one query, two index lookups."""
    newest = select(func.coalesce(func.max(audit.AUDIT.c.id), 0)).scalar_subquery()
    settings = select(func.coalesce(func.sum(SETTINGS.c.version), 0)).scalar_subquery()
    with store.read() as conn:
        event_id, versions = conn.execute(select(newest, settings)).one()
    return Marker(int(event_id), int(versions))


def events_after(store: Store, event_id: int, *, limit: int) -> list[dict[str, Any]]:
    """At most ``limit`` audit events after ``event_id``, oldest first."""
    query = (
        select(audit.AUDIT)
        .where(audit.AUDIT.c.id > event_id)
        .order_by(audit.AUDIT.c.id)
        .limit(limit)
    )
    with store.read() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def written_here(store: Store, event: dict[str, Any]) -> bool:
    """True for an event ``store`` wrote itself (this session's own change)."""
    return event["actor"] == audit.current_actor() and event["at"] in store.stamps
