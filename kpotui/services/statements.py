"""The SQL of the write path, a few statements per chunk of records.

Writing records one by one costs several round trips each (resolve every reference, check
the natural key, insert, append the audit event, read back). Here all references of a
chunk are resolved with one query per referenced kind, existing natural keys found with
one query, and rows written with one executemany for the records and one for their audit
events. Values are clean already (:mod:`kpotui.services.writes` checks them); everything
runs inside the caller's write transaction.

Rows go through the driver's own ``executemany`` as tuples
(:mod:`kpotui.services.bulk_insert`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache
from operator import itemgetter
from typing import Any, TypeVar

from sqlalchemy import Column, Connection, bindparam, delete, func, select, update

from kpotui.models import AuditAction, utcnow
from kpotui.services import audit
from kpotui.services.bulk_insert import insert_many
from kpotui.services.fields import KINDS, FieldType, KindSpec
from kpotui.services.records import (
    Record,
    column_values,
    json_safe,
    key_text,
    record_select,
    row_to_record,
    table_of,
    to_column_value,
)
from kpotui.store.keys import fold, folded_column

IN_LIST_SIZE = 1000
"""Values per ``IN (...)`` list: far below every driver's bound-parameter limit."""

T = TypeVar("T")
Key = tuple[Any, ...]
"""A natural key in column values: references as ids, e.g. ``(contract_id, title)``."""


def _parts(items: Sequence[T], size: int = IN_LIST_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# -- reading ------------------------------------------------------------------------------


def ids_by_key(conn: Connection, spec: KindSpec, names: Iterable[str]) -> dict[str, int]:
    """Natural key -> id for the records of ``spec`` (a single-field key) named in
    ``names``, matched ignoring case (:func:`kpotui.store.keys.fold`): each name given
    maps to the record it names, however it is spelt."""
    table = table_of(spec)
    key = table.c[spec.key[0]]
    given: dict[str, list[str]] = {}
    for name in set(names):
        given.setdefault(fold(name), []).append(name)
    found: dict[str, int] = {}
    exact: set[str] = set()
    for part in _parts(sorted(given)):
        query = select(key, table.c.id).where(folded_column(conn, key).in_(part))
        for stored, record_id in conn.execute(query):
            for name in given[fold(stored)]:  # exact, else the oldest of those clashing
                if name == stored:
                    found[name] = record_id
                    exact.add(name)
                elif name not in exact and record_id < found.get(name, record_id + 1):
                    found[name] = record_id
    return found


def folded_key(spec: KindSpec, key: Key) -> Key:
    """A natural key in column values as it is compared: its text folded. A key with text
    ends with its only text field (a name, or a title after a reference and date); one
    without (a rate's currency code, upper-cased on input, and date) is compared as is."""
    if spec.field(spec.key[-1]).type is not FieldType.TEXT:
        return key
    return (*key[:-1], fold(key[-1]))


def key_columns(spec: KindSpec) -> list[str]:
    """The columns holding the natural key (a reference's column is its ``*_id``)."""
    return [spec.field(name).column for name in spec.key]


def existing_ids(
    conn: Connection, spec: KindSpec, keys: Iterable[Key], *, up_to: int | None
) -> dict[Key, int]:
    """Folded natural key (:func:`folded_key`) -> id for those of ``keys`` held by
    records with an id <= ``up_to`` (None: any record).

    ``up_to`` is :func:`max_id` taken when a batch began, so only records that existed
    before it are found (the batch tracks its own). Rows are looked up by the first key
    column, which leads the unique index; a composite key is then matched in Python (a
    row-value ``IN`` list makes SQLite scan the whole table, and a ``VALUES`` join costs
    more to compile than to run). Where two records clash (a database not yet cleaned,
    see :mod:`kpotui.store.keys`) the older one is found.
    """
    if up_to is not None and up_to <= 0:
        return {}
    table = table_of(spec)
    cols = [table.c[name] for name in key_columns(spec)]
    lead = (
        folded_column(conn, cols[0]) if spec.field(spec.key[0]).type is FieldType.TEXT else cols[0]
    )
    wanted = set(keys)
    found: dict[Key, int] = {}
    for part in _parts(sorted({key[0] for key in wanted if key[0] is not None})):
        query = select(*cols, table.c.id).where(lead.in_(part))
        if up_to is not None:
            query = query.where(table.c.id <= up_to)
        for row in conn.execute(query):
            key = folded_key(spec, tuple(row[:-1]))
            if key in wanted and found.get(key, row[-1]) >= row[-1]:
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


def first_referencing(conn: Connection, column: Column[Any], ids: Sequence[int]) -> int | None:
    """One of ``ids`` that ``column`` (a reference) holds, or None."""
    for part in _parts(ids):
        found = conn.execute(select(column).where(column.in_(part)).limit(1)).scalar()
        if found is not None:
            return int(found)
    return None


# -- inserting ----------------------------------------------------------------------------


@cache
def _insert_plan(kind: str) -> tuple[list[str], Callable[[Mapping[str, Any]], tuple], list]:
    """(columns, a getter of a record's values in their order, [(index, field)] of the
    references and money amounts, which need converting) for inserting a kind."""
    spec = KINDS[kind]
    fields = (*spec.fields, *spec.derived)
    getter = itemgetter(*(f.name for f in fields))
    convert = [(i, f) for i, f in enumerate(fields) if f.type in (FieldType.REF, FieldType.MONEY)]
    return [f.column for f in fields], getter, convert


def _insert_values(
    spec: KindSpec, record: Mapping[str, Any], ref_ids: Mapping[str, int]
) -> list[Any]:
    """A complete record's column values, in the order of ``spec.fields``."""
    _, getter, convert = _insert_plan(spec.name)
    values = list(getter(record))
    for i, f in convert:
        values[i] = (
            ref_ids.get(f.name) if f.type is FieldType.REF else to_column_value(f, values[i])
        )
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
    new: Sequence[tuple[Mapping[str, Any], Mapping[str, int], int | None]],
    *,
    batch: str | None,
) -> list[int]:
    """Insert complete, valid records — (clean values, reference name -> id, the id to
    give it or None) — with one executemany, append one ``create`` event each, and return
    their ids in order.

    A create event holds the record's key and the batch, not its values: those are the
    record itself, every later update event records each changed field's before and
    after, and a deletion records every value it removes (docs/format.md).
    """
    if not new:
        return []
    now = utcnow()
    table = table_of(spec)
    before = max_id(conn, spec)
    columns = _insert_plan(spec.name)[0]
    rows = [_insert_values(spec, record, ref_ids) for record, ref_ids, _ in new]
    fixed = {"created_at": now, "updated_at": now, "version": 1}
    with_id = {i for i, (_, _, record_id) in enumerate(new) if record_id is not None}
    if with_id:  # undo re-creates deleted records under their old ids
        insert_many(conn, table, ["id", *columns], ([new[i][2], *rows[i]] for i in with_id), fixed)
    at_key = [columns.index(name) for name in key_columns(spec)]
    added: dict[tuple[Any, ...], int] = {}
    if len(with_id) < len(new):
        # A plain executemany: asking for RETURNING ids makes drivers insert row by row on
        # SQLite. The new ids are read back by key instead, in one query.
        rest = (r for i, r in enumerate(rows) if i not in with_id)
        insert_many(conn, table, columns, rest, fixed)
        keys_and_ids = select(*(table.c[columns[i]] for i in at_key), table.c.id)
        added = {
            tuple(row[:-1]): row[-1]
            for row in conn.execute(keys_and_ids.where(table.c.id > before)).all()
        }
    ids = [
        record_id if record_id is not None else added[tuple(row[i] for i in at_key)]
        for row, (_, _, record_id) in zip(rows, new, strict=True)
    ]
    name_of = _key_text(spec)
    audit.append_many(
        conn,
        ("record_id", "key"),
        [(record_id, name_of(record)) for record_id, (record, _, _) in zip(ids, new, strict=True)],
        action=AuditAction.CREATE.value,
        kind=spec.name,
        changes={},
        batch=batch,
    )
    return ids


# -- updating and deleting ----------------------------------------------------------------


def update_records(
    conn: Connection,
    spec: KindSpec,
    changes: Sequence[tuple[Record, Mapping[str, Any], Mapping[str, int]]],
    *,
    batch: str | None,
) -> int:
    """Apply (current record, changed clean values, reference name -> id) to each record
    still at the version read: one executemany per set of changed fields, version + 1,
    one ``update`` event each. Returns how many records had moved on meanwhile (another
    writer committed between the read and this write, as PostgreSQL allows): then
    nothing is audited, and the caller must not commit."""
    table = table_of(spec)
    groups: dict[frozenset[str], list[dict[str, Any]]] = {}
    now = utcnow()
    for current, changed, ref_ids in changes:
        columns = column_values(spec, changed, ref_ids)
        row = {f"new_{name}": value for name, value in columns.items()}
        row |= {"record_id": current["id"], "read_version": current["version"]}
        groups.setdefault(frozenset(columns), []).append(row)
    moved = 0
    for names, rows in groups.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("record_id"))
            .where(table.c.version == bindparam("read_version"))
            .values(
                {name: bindparam(f"new_{name}") for name in names}
                | {"version": table.c.version + 1, "updated_at": now}
            )
        )
        result = conn.execute(statement.execution_options(synchronize_session=False), rows)
        moved += len(rows) - result.rowcount
    if moved:
        return moved
    audit.append_many(
        conn,
        ("record_id", "key", "changes"),
        [
            (
                current["id"],
                key_text(spec, {**current, **changed}),
                {n: [json_safe(current[n]), json_safe(v)] for n, v in changed.items()},
            )
            for current, changed, _ in changes
        ],
        action=AuditAction.UPDATE.value,
        kind=spec.name,
        batch=batch,
    )
    return 0


def delete_records(
    conn: Connection, spec: KindSpec, found: Sequence[Record], *, batch: str | None
) -> None:
    """Delete these records (references checked already), one ``delete`` event each,
    holding every value it removes."""
    table = table_of(spec)
    for part in _parts([record["id"] for record in found]):
        conn.execute(delete(table).where(table.c.id.in_(part)))
    audit.append_many(
        conn,
        ("record_id", "key", "changes"),
        [
            (
                record["id"],
                key_text(spec, record),
                {
                    f.name: [json_safe(record[f.name]), None]
                    for f in (*spec.fields, *spec.derived)
                    if record[f.name] not in (None, [])
                },
            )
            for record in found
        ],
        action=AuditAction.DELETE.value,
        kind=spec.name,
        batch=batch,
    )
