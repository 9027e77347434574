"""The audit trail: who changed what, when, from what to what. Append-only.

The actor is the OS account from the password database (not ``$USER``, which anyone can
set). The table refuses UPDATE and DELETE at the database level (see the first migration).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, insert, select

from kpotui.models import AuditEvent, utcnow
from kpotui.services.bulk_insert import insert_many
from kpotui.store import Store
from kpotui.store.engine import remember_stamp

AUDIT = AuditEvent.__table__  # type: ignore[attr-defined]
UNDO_PREFIX = "undo:"
"""Starts the batch of every change an undo writes (see :mod:`kpotui.services.undo`)."""


def current_actor() -> str:
    """The OS account name of the running process, from the password database."""
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):  # no password database entry (or not a Unix system)
        pass
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no entry and no login variables either
        return f"uid-{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def _stamp(conn: Connection) -> datetime:
    """The time events appended now carry, remembered by the store writing them: no other
    session's event has the same, so it tells this store's own changes from theirs."""
    at = utcnow()
    remember_stamp(conn, at)
    return at


def append(
    conn: Connection,
    *,
    action: str,
    kind: str,
    record_id: int,
    key: str,
    changes: dict[str, list[Any]],
    batch: str | None = None,
) -> None:
    """Append one event inside the caller's write transaction."""
    conn.execute(
        insert(AUDIT).values(
            at=_stamp(conn),
            actor=current_actor(),
            action=action,
            kind=kind,
            record_id=record_id,
            key=key,
            changes=changes,
            batch=batch,
        )
    )


def append_many(
    conn: Connection, columns: Sequence[str], rows: Iterable[Sequence[Any]], **shared: Any
) -> None:
    """Append many events with one executemany: each row holds ``columns`` (of
    ``record_id``, ``key``, ``changes``); ``shared`` the columns every event has in common
    (``action``, ``kind``, ``batch``), given once."""
    insert_many(
        conn, AUDIT, columns, rows, fixed={"at": _stamp(conn), "actor": current_actor(), **shared}
    )


def not_an_undo(table: Any) -> ColumnElement[bool]:
    """Events of ``table`` (the audit table or an alias of it) that no undo wrote."""
    return table.c.batch.is_(None) | ~table.c.batch.startswith(UNDO_PREFIX)


def recent(store: Store, *, limit: int = 50) -> list[dict[str, Any]]:
    """The newest events across the database, newest first."""
    query = select(AUDIT).order_by(AUDIT.c.id.desc()).limit(limit)
    with store.read() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]
