"""On PostgreSQL a plain INSERT of many rows goes as one COPY (kpotui.store.postgres), so
statement-level triggers run once for them all; the values arrive as they were sent."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kpotui.store import Store

PROBE = [
    "CREATE TABLE probe (id serial PRIMARY KEY, t text, d date, j json, b boolean, n integer)",
    "CREATE TABLE probe_statement (rows integer)",
    """CREATE FUNCTION probe_statement() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
           INSERT INTO probe_statement SELECT count(*) FROM new_rows; RETURN NULL;
       END $$""",
    """CREATE TRIGGER probe_statement AFTER INSERT ON probe REFERENCING NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION probe_statement()""",
]
ROWS: list[tuple[Any, ...]] = [
    (
        "tab\there, newline\nthere, back\\slash, \\N, quote ' \" é",
        date(2025, 6, 30),
        '{"a": [1]}',
        True,
        7,
    ),
    (None, None, None, None, None),
    ("", date(1999, 12, 31), "[]", False, -3),
]


@pytest.fixture
def postgres(store: Store) -> Store:
    if store.dialect != "postgresql":
        pytest.skip("PostgreSQL only")
    with store.write() as conn:
        for statement in PROBE:
            conn.exec_driver_sql(statement)
    return store


def test_a_plain_insert_of_many_rows_is_one_statement_with_the_values_intact(
    postgres: Store,
) -> None:
    with postgres.write() as conn:
        conn.exec_driver_sql("INSERT INTO probe (t, d, j, b, n) VALUES (%s, %s, %s, %s, %s)", ROWS)
    with postgres.read() as conn:
        statements = conn.exec_driver_sql("SELECT rows FROM probe_statement").scalars().all()
        stored = conn.exec_driver_sql("SELECT t, d, j::text, b, n FROM probe ORDER BY id").all()
    assert statements == [3]
    assert [tuple(row) for row in stored] == ROWS


def test_other_statements_of_many_rows_are_left_to_the_driver(postgres: Store) -> None:
    with postgres.write() as conn:
        conn.exec_driver_sql("INSERT INTO probe (t) VALUES (%(t)s)", [{"t": "a"}, {"t": "b"}])
        conn.exec_driver_sql("INSERT INTO probe (t, n) VALUES (%s, 1)", [("c",), ("d",)])
    with postgres.read() as conn:
        statements = conn.exec_driver_sql("SELECT rows FROM probe_statement").scalars().all()
        assert conn.exec_driver_sql("SELECT count(*) FROM probe").scalar() == 4
    assert statements == [1, 1, 1, 1], "psycopg's executemany: one statement per row"
