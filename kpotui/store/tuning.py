"""Storage tuning for large writes: a larger page cache, indexes built once, fresh stats.

These change how SQLite stores a big batch, never what is stored; on other databases
they do nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from kpotui.store.keys import FOLDED_KEYS

BULK_CACHE_KIB = 24 * 1024
"""SQLite page cache during a bulk write (see :func:`large_page_cache`). 64 MiB took an
import of 200,000 deliverables to 187 MB; with 24 MiB importing 20,000 notes (full-text
index included) costs the same CPU time as with 64 MiB (21.1-21.4 s against 20.3-22.3 s,
paired runs) and the deliverables stay under 150 MB."""


@contextmanager
def large_page_cache(conn: Connection) -> Iterator[None]:
    """Give SQLite a larger page cache for one bulk write, then restore it.

    A big transaction's dirty pages otherwise spill to the WAL and are read back one by
    one: importing 20,000 notes (full-text index included) spent most of its time in
    system calls with the default 2 MiB, and ~2% with this. The cache grows only as used.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        with suppress(DBAPIError):  # never hide the error that ended the write
            conn.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")


_REBUILT_UNIQUE = {key.index for key in FOLDED_KEYS if key.before}
"""Case-insensitive key indexes led by a reference (deliverables, decisions): while one
is dropped the exact key's unique index still serves the write path's lookups, and
building it again at the end checks every key at once."""


def drop_secondary_indexes(conn: Connection, table: str) -> list[str]:
    """Drop the table's non-unique indexes inside the write transaction; returns the
    statements that create them again (see :func:`create_indexes`).

    SQLite only (elsewhere nothing is dropped): inserting a large import's rows into
    every index, in the random order of their values, costs more than sorting them once
    afterwards. Indexes that enforce a natural key stay, but for the case-insensitive
    ones in ``_REBUILT_UNIQUE``: built again before the commit, they still refuse any
    clash (the whole import then fails). The drop is part of the transaction, so a
    failed import rolls it back, and other connections never see it.
    """
    if conn.dialect.name != "sqlite":
        return []
    quote = conn.dialect.identifier_preparer.quote
    listed = conn.exec_driver_sql(f"PRAGMA index_list({quote(table)})").all()
    statements = []
    for index in listed:
        if (index.unique and index.name not in _REBUILT_UNIQUE) or index.origin != "c":
            continue
        sql = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (index.name,)
        ).scalar_one()
        conn.exec_driver_sql(f"DROP INDEX {quote(index.name)}")
        statements.append(sql)
    return statements


def create_indexes(conn: Connection, statements: Iterable[str]) -> None:
    """Create again the indexes :func:`drop_secondary_indexes` dropped."""
    for sql in statements:
        conn.exec_driver_sql(sql)


def analyze(conn: Connection) -> None:
    """Refresh the query planner's statistics (after a large import on SQLite)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("ANALYZE")
