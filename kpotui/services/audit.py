"""The audit trail: who changed what, when, from what to what. Append-only.

The actor is the OS account from the password database (not ``$USER``, which anyone can
set). The table refuses UPDATE and DELETE at the database level (see the first migration).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, insert, select

from kpotui.models import AuditEvent, utcnow
from kpotui.services.bulk_insert import insert_many
from kpotui.store import Store
from kpotui.store.engine import remember_stamp

AUDIT = AuditEvent.__table__  # type: ignore[attr-defined]
UNDO_PREFIX = "undo:"
"""Starts the batch of every change an undo writes (see :mod:`kpotui.services.undo`)."""
CLOCK_SKEW = timedelta(hours=1)
"""How far the clocks of two writers may disagree for ``recent(since=...)`` to be exact."""


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


@dataclass(frozen=True)
class LogFilter:
    """Which events of the audit trail to read; a field left None filters nothing."""

    since: datetime | None = None
    """Events at or after this moment (an aware datetime)."""
    actor: str | None = None
    kind: str | None = None
    """A kind as the trail names it: ``task``, ``setting`` (see :mod:`.change_log`)."""
    key: str | None = None
    """A record's key as an event names it (the key it had at the time)."""


def recent(
    store: Store, *, flt: LogFilter | None = None, before: int | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """The newest events across the database, newest first, deleted records' included;
    ``before`` (an event's id) continues from a page: only older events.

    Each filter has an index (migration 0012; the actor's ends with ``id``), so a page
    reads about ``limit`` entries of one index, and ``since`` the window's part of one.
    """
    flt = flt or LogFilter()
    query = select(AUDIT).order_by(AUDIT.c.id.desc()).limit(limit)
    if before is not None:
        query = query.where(AUDIT.c.id < before)
    if flt.since is not None:
        # Events are appended in time order, so the first one of the window bounds the
        # walk back from the newest (else a window of fewer than ``limit`` events would
        # read the whole trail). It is looked up a margin earlier, for writers whose
        # clocks disagree (PostgreSQL clients on several machines).
        since = flt.since.astimezone(UTC)
        earlier = AUDIT.c.at >= since - CLOCK_SKEW
        first = select(AUDIT.c.id).where(earlier).order_by(AUDIT.c.at).limit(1).scalar_subquery()
        query = query.where(AUDIT.c.at >= since, AUDIT.c.id >= first)
    if flt.actor is not None:
        query = query.where(AUDIT.c.actor == flt.actor)
    if flt.kind is not None:
        query = query.where(AUDIT.c.kind == flt.kind)
    if flt.key is not None:
        query = query.where(AUDIT.c.key == flt.key)
    with store.read() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]
