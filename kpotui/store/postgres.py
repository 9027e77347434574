"""PostgreSQL: a plain ``INSERT`` run for many rows is sent as one ``COPY``.

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
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, event

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
