"""Reads and writes by the thousand, for imports: a few statements per chunk of records.

Creating records one by one costs several round trips each (resolve every reference, check
the natural key, insert, append the audit event, read back). An import of 200,000 rows
instead resolves all references of a chunk with one query per referenced kind, finds
existing natural keys with one query, and writes with one executemany for the records and
one for their audit events. Validation stays in :mod:`kpotui.services.validation`; these
helpers take values that are already clean and run inside the caller's write transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from functools import cache
from operator import itemgetter
from typing import Any, TypeVar

from sqlalchemy import Connection, bindparam, func, select, update
from sqlalchemy.exc import DBAPIError

from kpotui.models import AuditAction, utcnow
from kpotui.services import audit
from kpotui.services.bulk_insert import insert_many
from kpotui.services.fields import KINDS, FieldType, KindSpec
from kpotui.services.records import (
    Record,
    column_values,
    key_text,
    plain,
    record_select,
    row_to_record,
    table_of,
    to_column_value,
)

BULK_CACHE_KIB = 24 * 1024
"""SQLite page cache during a bulk write (see :func:`large_page_cache`). 64 MiB took an
import of 200,000 deliverables to 187 MB; with 24 MiB importing 20,000 notes (full-text
index included) costs the same CPU time as with 64 MiB (21.1-21.4 s against 20.3-22.3 s,
paired runs) and the deliverables stay under 150 MB."""
IN_LIST_SIZE = 1000
"""Values per ``IN (...)`` list: far below every driver's bound-parameter limit."""

T = TypeVar("T")
Key = tuple[Any, ...]
"""A natural key in column values: references as ids, e.g. ``(contract_id, title)``."""


def _parts(items: Sequence[T], size: int = IN_LIST_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def ids_by_key(conn: Connection, spec: KindSpec, names: Iterable[str]) -> dict[str, int]:
    """Natural key -> id for the records of ``spec`` (a single-field key) named in ``names``."""
    table = table_of(spec)
    key = table.c[spec.key[0]]
    found: dict[str, int] = {}
    for part in _parts(sorted(set(names))):
        for name, record_id in conn.execute(select(key, table.c.id).where(key.in_(part))):
            found[name] = record_id
    return found


def key_columns(spec: KindSpec) -> list[str]:
    """The columns holding the natural key (a reference's column is its ``*_id``)."""
    return [spec.field(name).column for name in spec.key]


def existing_ids(
    conn: Connection, spec: KindSpec, keys: Iterable[Key], *, up_to: int
) -> dict[Key, int]:
    """Natural key -> id for those of ``keys`` held by records with an id <= ``up_to``.

    ``up_to`` is :func:`max_id` taken when the import began, so only records that existed
    before it are found (the importer tracks its own). Rows are looked up by the first key
    column, which leads the unique index; a composite key is then matched in Python (a
    row-value ``IN`` list makes SQLite scan the whole table, and a ``VALUES`` join costs
    more to compile than to run).
    """
    if up_to <= 0:
        return {}
    table = table_of(spec)
    cols = [table.c[name] for name in key_columns(spec)]
    wanted = set(keys)
    found: dict[Key, int] = {}
    for part in _parts(sorted({key[0] for key in wanted})):
        query = select(*cols, table.c.id).where(cols[0].in_(part), table.c.id <= up_to)
        for row in conn.execute(query):
            key = tuple(row[:-1])
            if key in wanted:
                found[key] = row[-1]
    return found


def max_id(conn: Connection, spec: KindSpec) -> int:
    """The highest id in use (0 when empty): rows above it were added after this call."""
    table = table_of(spec)
    return int(conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one())


def records_by_id(conn: Connection, spec: KindSpec, ids: Iterable[int]) -> dict[int, Record]:
    """The current records with these ids, as :func:`records.get` returns them."""
    table = table_of(spec)
    found: dict[int, Record] = {}
    for part in _parts(sorted(set(ids))):
        for row in conn.execute(record_select(spec).where(table.c.id.in_(part))):
            record = row_to_record(spec, row)
            found[record["id"]] = record
    return found


@cache
def _insert_plan(kind: str) -> tuple[list[str], Callable[[Mapping[str, Any]], tuple], list]:
    """(columns, a getter of a record's values in their order, [(index, field)] of the
    references and money amounts, which need converting) for inserting a kind."""
    spec = KINDS[kind]
    getter = itemgetter(*(f.name for f in spec.fields))
    convert = [
        (i, f) for i, f in enumerate(spec.fields) if f.type in (FieldType.REF, FieldType.MONEY)
    ]
    return [f.column for f in spec.fields], getter, convert


def _insert_values(
    spec: KindSpec, record: Mapping[str, Any], ref_ids: Mapping[str, int]
) -> list[Any]:
    """A complete record's column values, in the order of ``spec.fields``."""
    _, getter, convert = _insert_plan(spec.name)
    values = list(getter(record))
    for i, f in convert:
        if f.type is FieldType.REF:
            values[i] = ref_ids.get(f.name)
        else:
            values[i] = to_column_value(f, values[i])
    return values


def _key_text(spec: KindSpec) -> Callable[[Mapping[str, Any]], str]:
    """:func:`key_text` for many records of a kind: text keys are joined as they are."""
    if all(spec.field(n).type in (FieldType.TEXT, FieldType.REF) for n in spec.key):
        getter = itemgetter(*spec.key)
        if len(spec.key) == 1:
            return getter
        return lambda record: " / ".join(getter(record))
    return lambda record: key_text(spec, record)


def insert_records(
    conn: Connection,
    spec: KindSpec,
    new: Sequence[tuple[Mapping[str, Any], Mapping[str, int]]],
    *,
    batch: str,
) -> None:
    """Insert complete, valid records (clean values, reference name -> id) with one
    executemany and append one ``create`` audit event each.

    A bulk create event holds the record's key and the batch, not its initial values:
    those are the record itself, every later update event records each changed field's
    before and after, and a deletion records every value it removes (docs/format.md).
    """
    if not new:
        return
    now = utcnow()
    table = table_of(spec)
    before = max_id(conn, spec)
    columns = _insert_plan(spec.name)[0]
    rows = [_insert_values(spec, record, ref_ids) for record, ref_ids in new]
    # A plain executemany: asking for RETURNING ids makes drivers insert row by row on
    # SQLite. The new ids are read back by key instead, in one query.
    insert_many(conn, table, columns, rows, {"created_at": now, "updated_at": now, "version": 1})
    at_key = [columns.index(name) for name in key_columns(spec)]
    added = {
        tuple(row[:-1]): row[-1]
        for row in conn.execute(
            select(*(table.c[columns[i]] for i in at_key), table.c.id).where(table.c.id > before)
        ).all()
    }
    name_of = _key_text(spec)
    audit.append_many(
        conn,
        [
            {"record_id": added[tuple(row[i] for i in at_key)], "key": name_of(record)}
            for row, (record, _) in zip(rows, new, strict=True)
        ],
        action=AuditAction.CREATE.value,
        kind=spec.name,
        changes={},
        batch=batch,
    )


def update_records(
    conn: Connection,
    spec: KindSpec,
    changes: Sequence[tuple[Record, Mapping[str, Any], Mapping[str, int]]],
    *,
    batch: str,
) -> None:
    """Apply (current record, changed clean values, reference name -> id) to each record:
    one executemany per set of changed fields, version + 1, one ``update`` event each."""
    table = table_of(spec)
    groups: dict[frozenset[str], list[dict[str, Any]]] = {}
    now = utcnow()
    for current, changed, ref_ids in changes:
        columns = column_values(spec, changed, ref_ids)
        row = {f"new_{name}": value for name, value in columns.items()}
        groups.setdefault(frozenset(columns), []).append({"record_id": current["id"], **row})
    for names, rows in groups.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("record_id"))
            .values(
                {name: bindparam(f"new_{name}") for name in names}
                | {"version": table.c.version + 1, "updated_at": now}
            )
        )
        conn.execute(statement.execution_options(synchronize_session=False), rows)
    audit.append_many(
        conn,
        [
            {
                "action": AuditAction.UPDATE.value,
                "kind": spec.name,
                "record_id": current["id"],
                "key": key_text(spec, current),
                "changes": {
                    name: [plain(spec.field(name), current[name]), plain(spec.field(name), value)]
                    for name, value in changed.items()
                },
                "batch": batch,
            }
            for current, changed, _ in changes
        ],
    )


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
        with suppress(DBAPIError):  # never hide the error that ended the import
            conn.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")


def drop_secondary_indexes(conn: Connection, spec: KindSpec) -> list[str]:
    """Drop the kind's table's non-unique indexes inside the write transaction; returns
    the statements that create them again (see :func:`create_indexes`).

    SQLite only (elsewhere nothing is dropped): inserting a large import's rows into
    every index, in the random order of their values, costs more than sorting them once
    afterwards. Indexes that enforce a natural key stay. The drop is part of the
    transaction, so a failed import rolls it back, and other connections never see it.
    """
    if conn.dialect.name != "sqlite":
        return []
    quote = conn.dialect.identifier_preparer.quote
    table = table_of(spec).name
    listed = conn.exec_driver_sql(f"PRAGMA index_list({quote(table)})").all()
    statements = []
    for index in listed:
        if index.unique or index.origin != "c":
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
