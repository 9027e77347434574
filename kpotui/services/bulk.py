"""Reads and writes by the thousand, for imports: a few statements per chunk of records.

Creating records one by one costs several round trips each (resolve every reference, check
the natural key, insert, append the audit event, read back). An import of 200,000 rows
instead resolves all references of a chunk with one query per referenced kind, finds
existing natural keys with one query, and writes with one executemany for the records and
one for their audit events. Validation stays in :mod:`kpotui.services.validation`; these
helpers take values that are already clean and run inside the caller's write transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import Connection, and_, bindparam, column, func, insert, select, update, values

from kpotui.models import AuditAction, utcnow
from kpotui.services import audit
from kpotui.services.fields import FieldType, KindSpec
from kpotui.services.records import (
    Record,
    key_text,
    plain,
    record_select,
    row_to_record,
    table_of,
    to_column_value,
)

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


def existing_ids(conn: Connection, spec: KindSpec, keys: Iterable[Key]) -> dict[Key, int]:
    """Natural key -> id for those of ``keys`` that exist (rows of this transaction too).

    A composite key is looked up by joining a ``VALUES`` list (a CTE) to the table, which
    both SQLite and PostgreSQL answer through the unique index (a row-value ``IN`` list
    makes SQLite scan the whole table).
    """
    table = table_of(spec)
    names = key_columns(spec)
    cols = [table.c[name] for name in names]
    found: dict[Key, int] = {}
    wanted = list(set(keys))
    for part in _parts(wanted):
        if len(cols) == 1:
            query = select(cols[0], table.c.id).where(cols[0].in_([key[0] for key in part]))
        else:
            given = (
                values(*(column(f"k{i}", col.type) for i, col in enumerate(cols)), name="wanted")
                .data(list(part))
                .cte("wanted")
            )
            on = and_(*(col == given.c[f"k{i}"] for i, col in enumerate(cols)))
            query = select(*cols, table.c.id).select_from(table.join(given, on))
        for row in conn.execute(query):
            found[tuple(row[:-1])] = row[-1]
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


def _columns(spec: KindSpec, record: Mapping[str, Any], ref_ids: Mapping[str, int]) -> dict:
    columns: dict[str, Any] = {}
    for name, value in record.items():
        f = spec.field(name)
        columns[f.column] = (
            ref_ids.get(name) if f.type is FieldType.REF else to_column_value(f, value)
        )
    return columns


def insert_records(
    conn: Connection,
    spec: KindSpec,
    new: Sequence[tuple[Mapping[str, Any], Mapping[str, int]]],
    *,
    batch: str,
) -> list[int]:
    """Insert complete, valid records (clean values, reference name -> id) with one
    executemany, append one ``create`` audit event each, and return their ids in order."""
    if not new:
        return []
    now = utcnow()
    table = table_of(spec)
    rows = [
        _columns(spec, record, ref_ids) | {"created_at": now, "updated_at": now, "version": 1}
        for record, ref_ids in new
    ]
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    ids = list(conn.execute(statement, rows).scalars())
    audit.append_many(
        conn,
        [
            {
                "action": AuditAction.CREATE.value,
                "kind": spec.name,
                "record_id": record_id,
                "key": key_text(spec, record),
                "changes": {
                    f.name: [None, plain(f, record[f.name])]
                    for f in spec.fields
                    if record.get(f.name) not in (None, [])
                },
                "batch": batch,
            }
            for record_id, (record, _) in zip(ids, new, strict=True)
        ],
    )
    return ids


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
        columns = _columns(spec, changed, ref_ids)
        row = {f"new_{name}": value for name, value in columns.items()}
        groups.setdefault(frozenset(columns), []).append({"record_id": current["id"], **row})
    for names, rows in groups.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("record_id"))
            .values(
                {name: bindparam(f"new_{name}") for name in names},
                version=table.c.version + 1,
                updated_at=now,
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


def analyze(conn: Connection) -> None:
    """Refresh the query planner's statistics (after a large import on SQLite)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("ANALYZE")
