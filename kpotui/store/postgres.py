"""PostgreSQL: many-row INSERTs sent as COPY; writes that wait or are refused explained.

A plain ``INSERT`` run for many rows is sent as one ``COPY``.

psycopg's ``executemany`` executes the statement once per row. The statement-level
triggers that keep ``provider_reliability`` (migration 0006) would then still run once per
row and update a provider's rollup row once per deliverable. A plain ``INSERT INTO t (a, b)
VALUES (%s, %s)`` with a list of rows (what :func:`kpotui.services.bulk_insert.insert_many`
sends) is sent instead as ``COPY t (a, b) FROM STDIN`` with the same values: one statement,
so one run of each statement-level trigger, and no statement to plan per row. Rows go
into the same table in the same transaction with the same defaults, constraints and row
triggers as the INSERTs. Every other statement is left to the driver.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.engine import ExceptionContext

from kpotui.services.errors import BusyError

PLAIN_INSERT = re.compile(
    r'INSERT INTO (?P<table>"?\w+"?) (?P<columns>\([^()]*\)) VALUES \((?:%s, )*%s\)'
)


def _copy_rows(cursor: Any, statement: str, parameters: Sequence[Any], _context: Any) -> bool:
    """Send a plain INSERT's rows through COPY (True: done); False leaves any other
    statement to the driver's own ``executemany``."""
    match = PLAIN_INSERT.fullmatch(statement)
    if match is None or not all(isinstance(row, tuple | list) for row in parameters):
        return False
    with cursor.copy(f"COPY {match['table']} {match['columns']} FROM STDIN") as copy:
        for row in parameters:
            copy.write_row(row)
    return True


def copy_plain_inserts(engine: Engine) -> None:
    """Make ``engine`` send plain many-row INSERTs as COPY, as described above."""
    event.listen(engine, "do_executemany", _copy_rows)


LOCK_NOT_AVAILABLE = "55P03"
"""SQLSTATE of a lock not granted within ``lock_timeout``."""
INSUFFICIENT_PRIVILEGE = "42501"


class _LockWatch:
    """While a write transaction lasts, asks the server each ``every`` seconds whether
    another session blocks it, and tells ``waiting`` True when one first does and False
    when the transaction ends (as SQLite's writers are told; from this watch's thread)."""

    def __init__(
        self, engine: Engine, pid: int, waiting: Callable[[bool], None], every: float
    ) -> None:
        self._engine, self._pid, self._waiting, self._every = engine, pid, waiting, every
        self._ended = threading.Event()
        self._lock = threading.Lock()
        self._told = False
        threading.Thread(target=self._watch, name="kpotui-lock-watch", daemon=True).start()

    def _blocked(self) -> bool:
        with self._engine.connect() as conn:
            blocking = conn.execute(
                text("SELECT cardinality(pg_blocking_pids(:pid))"), {"pid": self._pid}
            ).scalar()
            conn.rollback()
        return bool(blocking)

    def _watch(self) -> None:
        while not self._ended.wait(self._every):
            try:
                blocked = self._blocked()
            except Exception:  # only a notice: the write itself reports what matters
                return
            with self._lock:
                if blocked and not self._ended.is_set():
                    self._told = True
                    self._waiting(True)
                    return

    def end(self) -> None:
        with self._lock:
            self._ended.set()
            if self._told:
                self._waiting(False)


def plain_write_failures(
    engine: Engine, *, busy_timeout_ms: int, notice_ms: int, write_option: str, wait_option: str
) -> None:
    """Make a write that waits for another session's lock behave as on SQLite: after
    ``notice_ms`` the ``wait_option`` callback is told, after ``busy_timeout_ms`` the write
    ends with :class:`BusyError`; and a role without the privilege to change a table gets
    a sentence, not the driver's exception."""
    watches: dict[int, _LockWatch] = {}

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        if not options.get(write_option, False):
            return
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(busy_timeout_ms)}")
        waiting = options.get(wait_option)
        if waiting is not None:
            pid = conn.connection.dbapi_connection.info.backend_pid  # type: ignore[union-attr]
            watches[id(conn)] = _LockWatch(engine, pid, waiting, notice_ms / 1000)

    def _on_end(conn: Connection) -> None:
        watch = watches.pop(id(conn), None)
        if watch is not None:
            watch.end()

    event.listen(engine, "commit", _on_end)
    event.listen(engine, "rollback", _on_end)

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> Exception | None:
        from kpotui.store.engine import StoreError  # not at import: engine imports this module

        code = getattr(context.original_exception, "sqlstate", None)
        if code == LOCK_NOT_AVAILABLE:
            return BusyError()
        if code == INSUFFICIENT_PRIVILEGE:
            reason = (str(context.original_exception).splitlines() or [""])[0]
            return StoreError(f"your database role may not do this ({reason}); nothing was changed")
        return None
