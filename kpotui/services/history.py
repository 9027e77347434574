"""A record's history: its audit events, oldest first, its values at creation included.

A create event holds no values (:mod:`kpotui.services.writes`: an import of 200,000
records would store each twice). They are derived here instead: start from the record
as it is (or as its deletion left it) and undo each later update event, newest first;
what remains is the record as created, whoever created it (a form or an import).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from kpotui.models import AuditAction
from kpotui.services.audit import AUDIT, not_an_undo
from kpotui.services.errors import NotFoundError
from kpotui.services.fields import kind_spec
from kpotui.services.records import get_in, json_safe
from kpotui.store import Store

Event = dict[str, Any]


def record_history(store: Store, kind: str, record_id: int) -> list[Event]:
    """Every event of one record, oldest first; the creation shows the values created.

    SQLite hands a deleted record's id to the next record created when it was the highest,
    so an id can name two records over time. The history starts at the newest creation
    that was not an undo (undo re-creates a deleted record under its old id on purpose,
    and that record's history goes on).
    """
    spec = kind_spec(kind)
    this_record = (AUDIT.c.kind == kind) & (AUDIT.c.record_id == record_id)
    created = select(func.max(AUDIT.c.id)).where(
        this_record,
        AUDIT.c.action == AuditAction.CREATE.value,
        not_an_undo(AUDIT),
    )
    start = func.coalesce(created.scalar_subquery(), 0)
    query = select(AUDIT).where(this_record, AUDIT.c.id >= start).order_by(AUDIT.c.id)
    with store.read() as conn:
        events = [dict(row._mapping) for row in conn.execute(query)]
        try:
            record = get_in(conn, spec, record_id)
            state = {f.name: json_safe(record[f.name]) for f in spec.fields}
        except NotFoundError:
            state = {}
    _fill_creations(events, state)
    return events


def _fill_creations(events: list[Event], state: dict[str, Any]) -> None:
    """Give each create event the values it created: walk back from ``state`` (the record
    now; empty when deleted, and then each deletion's values are the state before it)."""
    for event in reversed(events):
        changes = event["changes"]
        if event["action"] == AuditAction.DELETE:
            state = {name: before for name, (before, _) in changes.items()}
        elif event["action"] == AuditAction.UPDATE:
            for name, (before, _) in changes.items():
                state[name] = before
        elif not changes:
            event["changes"] = {
                name: [None, value] for name, value in state.items() if value not in (None, [])
            }
            state = {}
