"""Acknowledging an agenda item: it leaves the agenda until its date or its record changes.

An acknowledgement is a row of ``agenda_ack`` (the item's id, which holds its date, and
its record's version then), audited as kind ``agenda``; undoing it deletes the row,
audited too.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from kpotui.models import AgendaAck, AuditAction, utcnow
from kpotui.services import audit
from kpotui.services.errors import ConflictError, NotFoundError, UndoError
from kpotui.services.insights.sql import DEC, C, D, N, P, as_date
from kpotui.store import Store

ACK = AgendaAck.__table__  # type: ignore[attr-defined]
KIND = "agenda"
"""The ``kind`` of an acknowledgement's audit events."""
TABLES = {"deliverable": D, "contract": C, "provider": P, "note": N, "decision": DEC}
"""The record kinds agenda items are about."""


def hiding(conn: Connection) -> list[tuple[str, date]]:
    """(item id, item date) of the acknowledgements whose record has not changed since:
    the items they keep off the agenda."""
    acks = conn.execute(select(ACK)).all()
    current: dict[tuple[str, int], int] = {}
    for kind, table in TABLES.items():
        ids = [ack.record_id for ack in acks if ack.record_kind == kind]
        if ids:
            rows = conn.execute(select(table.c.id, table.c.version).where(table.c.id.in_(ids)))
            current |= {(kind, row.id): row.version for row in rows}
    return [
        (ack.item_id, as_date(ack.item_date) or ack.item_date)
        for ack in acks
        if current.get((ack.record_kind, ack.record_id)) == ack.record_version
    ]


def acknowledge(
    store: Store,
    *,
    item_id: str,
    day: date,
    record_kind: str,
    record_id: int,
    record_version: int,
) -> None:
    """Acknowledge the item ``item_id`` about the record as it was at ``record_version``,
    audited; refused when the record changed or went since it was read."""
    table = TABLES[record_kind]
    with store.write() as conn:
        version = conn.execute(select(table.c.version).where(table.c.id == record_id)).scalar()
        if version is None:
            raise NotFoundError(f"the {record_kind} of agenda item {item_id} no longer exists")
        if version != record_version:
            raise ConflictError(
                f"the {record_kind} of agenda item {item_id} was changed since you read it; "
                "nothing was acknowledged",
                None,
            )
        already = conn.execute(
            select(ACK.c.id).where(ACK.c.item_id == item_id, ACK.c.record_version == version)
        ).first()
        if already is not None:
            return
        actor = audit.current_actor()
        ack_id = conn.execute(
            insert(ACK)
            .values(
                item_id=item_id,
                item_date=day,
                record_kind=record_kind,
                record_id=record_id,
                record_version=version,
                acked_by=actor,
                acked_at=utcnow(),
            )
            .returning(ACK.c.id)
        ).scalar_one()
        audit.append(
            conn,
            action=AuditAction.CREATE.value,
            kind=KIND,
            record_id=ack_id,
            key=item_id,
            changes={"acknowledged": [None, f"{record_kind} version {version}"]},
        )


def revert_created(conn: Connection, event: Mapping[str, Any], *, batch: str | None) -> None:
    """Undo one acknowledgement (for :mod:`kpotui.services.undo`): the item comes back."""
    gone = conn.execute(delete(ACK).where(ACK.c.id == event["record_id"]))
    if gone.rowcount != 1:
        raise UndoError(f"cannot undo: agenda item {event['key']} is no longer acknowledged")
    audit.append(
        conn,
        action=AuditAction.DELETE.value,
        kind=KIND,
        record_id=event["record_id"],
        key=event["key"],
        changes={"acknowledged": [event["changes"]["acknowledged"][1], None]},
        batch=batch,
    )
