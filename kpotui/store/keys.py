"""Natural keys unique ignoring case: one folding that Python, SQLite and PostgreSQL share.

A key is compared *folded*: surrounding whitespace stripped, ASCII letters lowered, every
other character as it is. That is exactly what SQLite's ``lower()`` does (it is
ASCII-only) and what PostgreSQL's ``lower()`` does under the "C" collation, so the same
folding backs the unique indexes on both databases and the checks of the write path
(``Müller`` and ``MÜLLER`` stay two names). Surrounding whitespace never reaches the
database: every one-line field is stripped on input, so the indexes hold ``lower(key)``.

Migration 0011 creates the indexes; on a database that already held clashing keys an
index starts non-unique, :func:`problems` names them (``kpotui db check``) and, once they
are fixed, :func:`make_unique` (``kpotui db upgrade``) makes it unique.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, ColumnElement, Connection, func

if TYPE_CHECKING:
    from kpotui.store.engine import Store

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def fold(text: str) -> str:
    """A key as it is compared: stripped, ASCII letters lowered."""
    text = text.strip()
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


@dataclass(frozen=True)
class FoldedKey:
    """The unique index of one table's natural key, its text column folded."""

    table: str
    index: str
    text: str
    """The text column compared folded."""
    before: tuple[str, ...] = ()
    """Columns of the key before it, compared as they are (a reference, a date)."""


FOLDED_KEYS = (
    FoldedKey("provider", "uq_provider_name_folded", "name"),
    FoldedKey("contract", "uq_contract_code_folded", "code"),
    FoldedKey("deliverable", "uq_deliverable_title_folded", "title", ("contract_id",)),
    FoldedKey("task", "uq_task_name_folded", "name"),
    FoldedKey("note", "uq_note_title_folded", "title"),
    FoldedKey("decision", "uq_decision_summary_folded", "summary", ("contract_id", "date")),
)


def plural(noun: str) -> str:
    """``names``, ``codes``, ``titles``, ``summaries``: the key fields, in messages."""
    return f"{noun[:-1]}ies" if noun.endswith("y") else f"{noun}s"


def folded_sql(column: str, dialect: str) -> str:
    """SQL folding ``column`` as :func:`fold` does (its values are stripped already)."""
    return f'lower({column} COLLATE "C")' if dialect == "postgresql" else f"lower({column})"


def folded_column(conn: Connection, column: Column[Any]) -> ColumnElement[str]:
    """``column`` folded as the unique indexes hold it (:func:`folded_sql`), so a lookup
    by it uses them."""
    if conn.dialect.name == "postgresql":
        return func.lower(column.collate("C"))
    return func.lower(column)


def create_index(conn: Connection, key: FoldedKey, *, unique: bool) -> None:
    parts = [*key.before, folded_sql(key.text, conn.dialect.name)]
    kind = "UNIQUE INDEX" if unique else "INDEX"
    conn.exec_driver_sql(f"CREATE {kind} {key.index} ON {key.table} ({', '.join(parts)})")


def _duplicates_sql(key: FoldedKey, dialect: str) -> str:
    """The folded keys held more than once: a sort of the table, never a self-join of
    every row with every other (40,000 providers would be 1.6 billion comparisons)."""
    cols = ", ".join([*key.before, folded_sql(key.text, dialect)])
    return f"SELECT {cols} FROM {key.table} GROUP BY {cols} HAVING count(*) > 1"


def has_clashes(conn: Connection, key: FoldedKey) -> bool:
    found = conn.exec_driver_sql(_duplicates_sql(key, conn.dialect.name) + " LIMIT 1")
    return found.first() is not None


def _clash_pairs(conn: Connection, key: FoldedKey) -> list[tuple[int, str, int, str]]:
    """(id, key, id, key) of each pair of records whose keys are equal folded."""
    if not has_clashes(conn, key):
        return []
    dialect = conn.dialect.name
    same = [f"a.{c} = b.{c}" for c in key.before]
    same.append(f"{folded_sql('a.' + key.text, dialect)} = {folded_sql('b.' + key.text, dialect)}")
    clashing = ", ".join([*(f"a.{c}" for c in key.before), folded_sql("a." + key.text, dialect)])
    rows = conn.exec_driver_sql(
        f"SELECT a.id, a.{key.text}, b.id, b.{key.text} FROM {key.table} a"
        f" JOIN {key.table} b ON {' AND '.join(same)} AND a.id < b.id"
        f" WHERE ({clashing}) IN ({_duplicates_sql(key, dialect)}) ORDER BY a.id, b.id"
    )
    return [tuple(row) for row in rows]


def problems(conn: Connection) -> list[str]:
    """One line per pair of records whose keys differ only in case, saying how to fix
    it, and one per index still to be made unique. Only a non-unique index is searched:
    a unique one admits no clash."""
    found = []
    for key in not_unique(conn):
        pairs = _clash_pairs(conn, key)
        same = ", ".join(c.removesuffix("_id") for c in key.before)
        within = f" (same {same})" if same else ""
        for first_id, first, second_id, second in pairs:
            found.append(
                f"{key.table} {second!r} (id {second_id}) clashes with {first!r} "
                f"(id {first_id}){within}: {plural(key.text)} are unique ignoring case; "
                "rename or delete one, then run 'kpotui db upgrade'"
            )
        if not pairs:
            found.append(
                f"{key.table} {plural(key.text)} are not yet enforced unique ignoring case; "
                "run 'kpotui db upgrade'"
            )
    return found


def _unique_indexes(conn: Connection) -> set[str]:
    if conn.dialect.name == "sqlite":
        return {
            index.name
            for key in FOLDED_KEYS
            for index in conn.exec_driver_sql(f"PRAGMA index_list({key.table})")
            if index.unique
        }
    rows = conn.exec_driver_sql(
        "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        " WHERE i.indisunique"
    )
    return {name for (name,) in rows}


def not_unique(conn: Connection) -> list[FoldedKey]:
    """The keys whose index is not unique yet (their table held clashes at migration)."""
    unique = _unique_indexes(conn)
    return [key for key in FOLDED_KEYS if key.index not in unique]


def make_unique(store: Store) -> tuple[list[FoldedKey], int]:
    """Make unique each index left non-unique whose clashes are fixed, in one write:
    (those made unique, how many kinds still hold clashes)."""
    done = []
    with store.write() as conn:
        for key in not_unique(conn):
            if not has_clashes(conn, key):
                conn.exec_driver_sql(f"DROP INDEX {key.index}")
                create_index(conn, key, unique=True)
                done.append(key)
        return done, len(not_unique(conn))
