"""Inserting many rows through the database driver's own ``executemany``.

SQLAlchemy Core's ``insert(table)`` with a list of dicts spends more time per row in
Python (parameter dicts, type processing per value) than SQLite spends storing it. Here
the statement text is made once per table and columns, every value that needs the
column type's conversion (dates and timestamps as text on SQLite, JSON) goes through
that type's own bind processor, and the driver gets plain tuples. The SQL is plain
``INSERT``, so it runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import JSON, Connection, Table
from sqlalchemy.engine import Dialect

Processor = Callable[[Any], Any]
MEMO_SIZE = 4096
"""Converted values remembered per column: an import repeats the same dates endlessly."""


def insert_text(conn: Connection, table: Table, columns: Sequence[str]) -> str:
    """``INSERT INTO t (a, b) VALUES (?, ?)`` in the driver's parameter style."""
    quote = conn.dialect.identifier_preparer.quote
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(quote(name) for name in columns)
    return f"INSERT INTO {quote(table.name)} ({names}) VALUES ({', '.join([mark] * len(columns))})"


@cache
def _processor(dialect: Dialect, table: Table, column: str) -> Processor | None:
    """The column type's bind processor on ``dialect`` (None: the driver takes the value
    as it is); remembering its results, except for JSON (lists and dicts are unhashable)."""
    type_ = table.c[column].type
    process = type_.dialect_impl(dialect).bind_processor(dialect)
    if process is None or isinstance(type_, JSON):
        return process
    return lru_cache(maxsize=MEMO_SIZE)(process)


def insert_many(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    fixed: Mapping[str, Any] | None = None,
) -> None:
    """Insert ``rows`` (values in the order of ``columns``, not yet converted); every row
    also gets the ``fixed`` column values (converted once)."""
    fixed = fixed or {}
    dialect = conn.dialect
    tail = tuple(
        value if (process := _processor(dialect, table, name)) is None else process(value)
        for name, value in fixed.items()
    )
    converting = [
        (i, process)
        for i, name in enumerate(columns)
        if (process := _processor(dialect, table, name)) is not None
    ]
    converted = []
    for row in rows:
        values = list(row)
        for i, process in converting:
            values[i] = process(values[i])
        converted.append((*values, *tail))
    if converted:
        text = insert_text(conn, table, [*columns, *fixed])
        conn.exec_driver_sql(text, converted)
