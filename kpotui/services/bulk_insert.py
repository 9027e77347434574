"""Inserting many rows through the database driver's own ``executemany``.

SQLAlchemy Core's ``insert(table)`` with a list of dicts spends more time per row in
Python (parameter dicts, type processing per value) than SQLite spends storing it. Here
the statement text is made once per table and columns, every value that needs the
column type's conversion (dates and timestamps as text on SQLite, JSON) goes through
that type's own bind processor, and the driver gets plain tuples. The SQL is plain
``INSERT``, so it runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table

Processor = Callable[[Any], Any] | None


def insert_text(conn: Connection, table: Table, columns: Sequence[str]) -> str:
    """``INSERT INTO t (a, b) VALUES (?, ?)`` in the driver's parameter style."""
    quote = conn.dialect.identifier_preparer.quote
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(quote(name) for name in columns)
    return f"INSERT INTO {quote(table.name)} ({names}) VALUES ({', '.join([mark] * len(columns))})"


def processors(conn: Connection, table: Table, columns: Sequence[str]) -> list[Processor]:
    """Each column's bind processor on this connection's dialect (None: value as is)."""
    dialect = conn.dialect
    return [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]


def insert_many(
    conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert ``rows`` (values in the order of ``columns``, not yet processed)."""
    procs = processors(conn, table, columns)
    converting = [(i, p) for i, p in enumerate(procs) if p is not None]
    if converting:
        converted = []
        for row in rows:
            values = list(row)
            for i, process in converting:
                values[i] = process(values[i])
            converted.append(tuple(values))
        rows = converted
    else:
        rows = list(rows)
    if rows:
        conn.exec_driver_sql(insert_text(conn, table, columns), rows)
