"""Undo your own last change, using the audit trail, as a new audited change.

*Your last change* is the newest audit event whose actor is the current OS account, that
is not itself part of an undo and has not been undone yet, together with every event of
its batch (an import is one batch, undone as one step). So undoing twice undoes your two
most recent changes, newest first. An undo is never undone itself: there is no redo (make
the change again instead).

Each event is reverted in one write transaction, newest first:

* an update puts the changed fields back to their old values (if they still hold the new
  ones);
* a create deletes the record (refused while other records reference it);
* a delete creates the record again, under its old id, from the values the audit kept.

The undo is refused (:class:`UndoError`, nothing written) when someone else has changed one
of those records since, or when the change can no longer be reverted cleanly. Its own
events carry the batch ``undo:<what was undone>``, which is how an undone change is
recognised.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from sqlalchemy import ColumnElement, Connection, String, cast, exists, func, literal, select

from kpotui.models import AuditAction
from kpotui.services import agenda_acks, audit, records, settings, statements, writes
from kpotui.services.errors import ServiceError, UndoError
from kpotui.services.fields import KindSpec, kind_spec
from kpotui.store import Store

AUDIT = audit.AUDIT
UNDO_PREFIX = audit.UNDO_PREFIX
_CHUNK = 500


@dataclass(frozen=True)
class UndoPlan:
    """What :func:`undo_last` would revert now (for a confirmation prompt)."""

    newest_event: int
    """Id of the newest audit event of the change; identifies the change."""
    batch: str | None
    """The change's batch (an import), or None for a single event."""
    events: int
    """How many audit events (record changes) the change holds."""
    description: str


def _change_name(table: Any) -> ColumnElement[str]:
    """The name an undo gives what it undid: the batch, or ``event-<id>`` for a lone event."""
    return func.coalesce(table.c.batch, literal("event-") + cast(table.c.id, String))


def _last_change(conn: Connection, actor: str) -> dict[str, Any]:
    undone = AUDIT.alias("undone")
    already_undone = exists().where(
        undone.c.actor == actor,
        undone.c.id > AUDIT.c.id,
        undone.c.batch == literal(UNDO_PREFIX) + _change_name(AUDIT),
    )
    row = conn.execute(
        select(AUDIT)
        .where(AUDIT.c.actor == actor, audit.not_an_undo(AUDIT), ~already_undone)
        .order_by(AUDIT.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        raise UndoError(f"nothing of yours ({actor}) to undo")
    return dict(row._mapping)


def _in_change(table: Any, newest: dict[str, Any]) -> ColumnElement[bool]:
    if newest["batch"] is None:
        return table.c.id == newest["id"]
    return table.c.batch == newest["batch"]


def _check_nobody_else_changed(conn: Connection, newest: dict[str, Any], actor: str) -> None:
    """Refuse when another account has changed a record of the change since."""
    mine, other = AUDIT.alias("mine"), AUDIT.alias("other")
    first_id = conn.execute(
        select(func.min(mine.c.id)).where(_in_change(mine, newest))
    ).scalar_one()
    touched = exists().where(
        _in_change(mine, newest),
        mine.c.kind == other.c.kind,
        mine.c.record_id == other.c.record_id,
    )
    row = conn.execute(
        select(other.c.actor, other.c.action, other.c.kind, other.c.key, other.c.at)
        .where(other.c.id > first_id, other.c.actor != actor, touched)
        .order_by(other.c.id)
        .limit(1)
    ).first()
    if row is not None:
        raise UndoError(
            f"cannot undo: {row.actor} changed {row.kind} {row.key!r} since "
            f"({row.action} at {row.at:%Y-%m-%d %H:%M} UTC); nothing was undone"
        )


_NOUN = {
    AuditAction.CREATE: "creation",
    AuditAction.UPDATE: "update",
    AuditAction.DELETE: "deletion",
}
_PAST = {
    AuditAction.CREATE: "created",
    AuditAction.UPDATE: "updated",
    AuditAction.DELETE: "deleted",
}


def _describe(conn: Connection, newest: dict[str, Any]) -> tuple[int, str]:
    when = f"{newest['at']:%Y-%m-%d %H:%M} UTC"
    if newest["batch"] is None:
        fields = ", ".join(newest["changes"]) if newest["action"] == AuditAction.UPDATE else ""
        detail = f" ({fields})" if fields else ""
        what = f"{_NOUN[newest['action']]} of {newest['kind']} {newest['key']!r}{detail}"
        return 1, f"your {what} at {when}"
    rows = conn.execute(
        select(AUDIT.c.action, AUDIT.c.kind, func.count())
        .where(AUDIT.c.batch == newest["batch"])
        .group_by(AUDIT.c.action, AUDIT.c.kind)
        .order_by(AUDIT.c.kind, AUDIT.c.action)
    ).all()
    total = sum(count for _, _, count in rows)
    parts = ", ".join(
        f"{count} {kind if count == 1 else kind_spec(kind).plural} {_PAST[action]}"
        for action, kind, count in rows
    )
    return total, f"your batch of {total} changes at {when} ({parts})"


def _plan(conn: Connection, actor: str) -> UndoPlan:
    newest = _last_change(conn, actor)
    _check_nobody_else_changed(conn, newest, actor)
    count, description = _describe(conn, newest)
    return UndoPlan(newest["id"], newest["batch"], count, description)


def preview_undo(store: Store) -> UndoPlan:
    """What :func:`undo_last` would undo now; raises :class:`UndoError` if it would refuse."""
    with store.read() as conn:
        return _plan(conn, audit.current_actor())


def _chunks_newest_first(conn: Connection, plan: UndoPlan) -> Iterator[list[dict[str, Any]]]:
    """The change's events, newest first, in chunks (no cursor stays open meanwhile)."""
    below = plan.newest_event + 1
    while True:
        chunk = conn.execute(
            select(AUDIT)
            .where(_in_change(AUDIT, {"id": plan.newest_event, "batch": plan.batch}))
            .where(AUDIT.c.id < below)
            .order_by(AUDIT.c.id.desc())
            .limit(_CHUNK)
        ).all()
        if not chunk:
            return
        yield [dict(row._mapping) for row in chunk]
        below = chunk[-1].id


def _delete_created(batch: writes.Batch, spec: KindSpec, events: list[dict[str, Any]]) -> None:
    """Delete records the change created, a chunk at a time (an import may hold 100,000):
    refused while other records reference them, each deletion audited."""
    ids = [event["record_id"] for event in events]
    found = statements.records_by_id(batch.conn, spec, ids)
    for event in events:
        if event["record_id"] not in found:
            raise UndoError(f"cannot undo: {spec.name} {event['key']!r} no longer exists")
    batch.delete(spec, [(record_id, None) for record_id in ids])


def _revert(batch: writes.Batch, event: dict[str, Any]) -> None:
    """Revert one update or deletion."""
    if event["kind"] == settings.KIND:
        settings.revert_event(batch.conn, event, batch=batch.label)
        return
    spec = kind_spec(event["kind"])
    changes: dict[str, list[Any]] = event["changes"]
    old = {name: values[0] for name, values in changes.items()}
    if event["action"] == AuditAction.DELETE:
        batch.put(spec, [writes.Item(old, record_id=event["record_id"])])
        return
    label = f"{spec.name} {event['key']!r}"
    current = statements.records_by_id(batch.conn, spec, [event["record_id"]]).get(
        event["record_id"]
    )
    if current is None:
        raise UndoError(f"cannot undo: {label} no longer exists; nothing was undone")
    for name, (_, new) in changes.items():
        if records.json_safe(current[name]) != new:
            raise UndoError(f"cannot undo: {label} {name} was changed since; nothing was undone")
    batch.update(spec, [(current["id"], old, None)])


def _revert_all(conn: Connection, plan: UndoPlan, marker: str) -> None:
    problems = writes.FieldProblems()
    batch = writes.Batch(conn, problems, label=marker, restoring=True)
    for chunk in _chunks_newest_first(conn, plan):
        for (action, kind), run in groupby(chunk, key=lambda e: (e["action"], e["kind"])):
            if kind == agenda_acks.KIND:
                for event in run:
                    agenda_acks.revert_created(conn, event, batch=marker)
            elif action == AuditAction.CREATE:
                _delete_created(batch, kind_spec(kind), list(run))
            else:
                for event in run:
                    _revert(batch, event)
                    problems.raise_any()


def undo_last(store: Store, *, expected: UndoPlan | None = None) -> str:
    """Undo your last change as a new audited change; returns what was undone.

    With ``expected`` (from :func:`preview_undo`), refuses when your last change is no
    longer that one (you changed something else meanwhile, e.g. in another window).
    """
    actor = audit.current_actor()
    with store.write() as conn:
        plan = _plan(conn, actor)
        if expected is not None and expected.newest_event != plan.newest_event:
            raise UndoError(f"your last change is now {plan.description}; look again")
        marker = UNDO_PREFIX + (plan.batch or f"event-{plan.newest_event}")
        try:
            _revert_all(conn, plan, marker)
        except UndoError:
            raise
        except ServiceError as exc:
            raise UndoError(f"cannot undo {plan.description}: {exc}; nothing was undone") from exc
    return plan.description
