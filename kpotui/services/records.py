"""Reading records of any kind, and how a record is represented.

A *record* is a plain dict keyed by the public field names of its kind (those of the file
format) holding clean values (see :mod:`kpotui.services.validation`), plus ``id``,
``version``, ``created_at`` and ``updated_at``. References hold the natural key of the
record referenced (a contract's ``provider`` is the provider's name).

Every write goes through :mod:`kpotui.services.writes`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    Table,
    func,
    select,
    type_coerce,
)
from sqlalchemy.types import NullType

from kpotui.services.errors import NotFoundError
from kpotui.services.fields import (
    KINDS,
    FieldSpec,
    FieldType,
    KindSpec,
    kind_spec,
    referencing,
)
from kpotui.services.validation import clean
from kpotui.store import Store
from kpotui.store.keys import fold, folded_column

Record = dict[str, Any]
META = ("id", "version", "created_at", "updated_at")


def table_of(spec: KindSpec) -> Table:
    return spec.table.__table__  # type: ignore[attr-defined]


# -- representation -------------------------------------------------------------------------


def json_safe(value: Any) -> Any:
    """A clean value as JSON-safe data: dates as ISO text, money as a two-decimal string."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, list):
        return list(value)
    return value


def key_text(spec: KindSpec, record: Mapping[str, Any]) -> str:
    """The natural key as one readable string, e.g. ``ENG-2025-003 / Monthly pack``."""
    return " / ".join(str(json_safe(record[name])) for name in spec.key)


def to_column_value(spec: FieldSpec, value: Any) -> Any:
    if spec.type is FieldType.MONEY and value is not None:
        return int(value * 100)
    return value


def from_column_value(spec: FieldSpec, value: Any) -> Any:
    if spec.type is FieldType.MONEY and value is not None:
        return (Decimal(value) / 100).quantize(Decimal("0.01"))
    if spec.type is FieldType.FLOAT and value is not None:
        return float(value)
    if spec.type is FieldType.BOOL and value is not None:
        return bool(value)
    if spec.type is FieldType.LIST:
        return list(value or [])
    return value


@cache
def record_select(spec: KindSpec) -> Select[Any]:
    """SELECT of every public and derived field of ``spec``, references joined to their
    natural key.

    Built once per kind (building the joins costs more than running the query); a
    Select is immutable, so callers add their ``where`` to a copy."""
    table = table_of(spec)
    columns: list[Any] = [table.c[name] for name in META]
    joined: Any = table
    for f in spec.fields:
        if f.type is FieldType.REF:
            target = kind_spec(f.ref or "")
            alias = table_of(target).alias(f"ref_{f.name}")
            joined = joined.outerjoin(alias, alias.c.id == table.c[f.column])
            columns.append(alias.c[target.key[0]].label(f.name))
        else:
            columns.append(table.c[f.column].label(f.name))
    columns.extend(table.c[f.column].label(f.name) for f in spec.derived)
    return select(*columns).select_from(joined)


def row_to_record(spec: KindSpec, row: Any) -> Record:
    data = row._mapping
    record: Record = {name: data[name] for name in META}
    for f in spec.fields:
        record[f.name] = from_column_value(f, data[f.name])
    for f in spec.derived:
        record[f.name] = data[f.name]
    return record


# -- reading --------------------------------------------------------------------------------


def _get(conn: Connection, spec: KindSpec, record_id: int) -> Record | None:
    row = conn.execute(record_select(spec).where(table_of(spec).c.id == record_id)).first()
    return row_to_record(spec, row) if row else None


def get_in(conn: Connection, spec: KindSpec, record_id: int) -> Record:
    """The record with ``record_id``, read inside the caller's transaction."""
    record = _get(conn, spec, record_id)
    if record is None:
        raise NotFoundError(f"no {spec.name} with id {record_id}")
    return record


def get(store: Store, kind: str, record_id: int) -> Record:
    with store.read() as conn:
        return get_in(conn, kind_spec(kind), record_id)


def resolve_id(conn: Connection, kind: str, natural_key: str) -> int | None:
    """The id of the provider / contract / task named ``natural_key``, ignoring case as
    names are unique (:mod:`kpotui.store.keys`): the record so spelt, else the oldest of
    those differing only in case (a database not yet cleaned of clashes)."""
    spec = kind_spec(kind)
    table = table_of(spec)
    column = table.c[spec.key[0]]
    found = conn.execute(
        select(table.c.id, column)
        .where(folded_column(conn, column) == fold(natural_key))
        .order_by(table.c.id)
    ).all()
    exact = [record_id for record_id, name in found if name == natural_key]
    return exact[0] if exact else (found[0][0] if found else None)


def _find_id(conn: Connection, spec: KindSpec, key: Mapping[str, Any]) -> int | None:
    """The id of the record with natural key ``key``, its names compared ignoring case as
    :func:`resolve_id` compares them: the record so spelt, else the oldest of those
    differing only in case."""
    table = table_of(spec)
    conditions = []
    names: list[tuple[Any, str]] = []
    """(column, value) of each text part of the key, for the exact spelling."""
    for name in spec.key:
        f = spec.field(name)
        column = table.c[f.column]
        if f.type is FieldType.REF:
            ref_id = resolve_id(conn, f.ref or "", key[name])
            if ref_id is None:
                return None
            conditions.append(column == ref_id)
        elif f.type is FieldType.TEXT and isinstance(key[name], str):
            conditions.append(folded_column(conn, column) == fold(key[name]))
            names.append((column, key[name]))
        else:
            conditions.append(column == key[name])
    found = conn.execute(
        select(table.c.id, *(column for column, _ in names)).where(*conditions).order_by(table.c.id)
    ).all()
    spelt = [value for _, value in names]
    exact = [row[0] for row in found if list(row[1:]) == spelt]
    return exact[0] if exact else (found[0][0] if found else None)


def find(store: Store, kind: str, key: Mapping[str, Any]) -> Record | None:
    """The record with natural key ``key``, or None. Names (text and references) are
    looked up ignoring case but not cleaned, so a record stored before the character rules
    (a name holding a control character) is still found; other values are cleaned first."""
    spec = kind_spec(kind)
    names = {
        name
        for name in spec.key
        if spec.field(name).type in (FieldType.TEXT, FieldType.REF) and isinstance(key[name], str)
    }
    cleaned = clean(spec, {n: key[n] for n in spec.key if n not in names}, partial=True)
    cleaned |= {name: key[name].strip() for name in names}
    with store.read() as conn:
        record_id = _find_id(conn, spec, cleaned)
        return _get(conn, spec, record_id) if record_id is not None else None


# -- what the write path shares -----------------------------------------------------------


def column_values(spec: KindSpec, values: Mapping[str, Any], ref_ids: Mapping[str, int]) -> dict:
    """Column -> stored value of the clean ``values`` (references as the ids in ``ref_ids``)."""
    columns: dict[str, Any] = {}
    for name, value in values.items():
        f = spec.field(name)
        columns[f.column] = (
            ref_ids.get(name) if f.type is FieldType.REF else (to_column_value(f, value))
        )
    return columns


def references_to(conn: Connection, spec: KindSpec, record_id: int) -> list[str]:
    """What references a record, e.g. ``["3 contracts (ENG-1, ENG-2, ENG-3)"]``."""
    found: list[str] = []
    for other, f in referencing(spec.name):
        table = table_of(other)
        where = table.c[f.column] == record_id
        count = conn.execute(select(func.count()).select_from(table).where(where)).scalar_one()
        if count:
            label_field = other.key[-1]
            sample = conn.execute(
                record_select(other).where(where).order_by(table.c.id).limit(3)
            ).all()
            names = ", ".join(str(row._mapping[label_field]) for row in sample)
            more = ", ..." if count > len(sample) else ""
            noun = other.name if count == 1 else other.plural
            found.append(f"{count} {noun} ({names}{more})")
    return found


def counts(store: Store) -> dict[str, int]:
    """How many records of each kind there are."""
    with store.read() as conn:
        return {
            name: conn.execute(select(func.count()).select_from(table_of(spec))).scalar_one()
            for name, spec in KINDS.items()
        }


def all_records(conn: Connection, spec: KindSpec, *, batch_size: int = 2000) -> Iterable[Record]:
    """Every record of a kind in natural-key order, streamed (for exports)."""
    order = [record_select(spec).selected_columns[name] for name in spec.key]
    result = conn.execution_options(yield_per=batch_size).execute(
        record_select(spec).order_by(*order, table_of(spec).c.id)
    )
    for row in result:
        yield row_to_record(spec, row)


@cache
def _stored_select(spec: KindSpec) -> Select[Any]:
    """SELECT of ``spec.fields`` as stored, in natural-key order, references as natural keys.

    Every column is coerced to a type without result processing, so the driver's values
    come through untouched. A required reference is an inner join: SQLite can then walk the
    referenced table's key index and this table's unique index in key order, with no sort.
    """
    table = table_of(spec)
    columns: list[Any] = []
    joined: Any = table
    for f in spec.fields:
        column = table.c[f.column]
        if f.type is FieldType.REF:
            target = kind_spec(f.ref or "")
            alias = table_of(target).alias(f"ref_{f.name}")
            on = alias.c.id == column
            joined = joined.join(alias, on) if f.required else joined.outerjoin(alias, on)
            column = alias.c[target.key[0]]
        columns.append(type_coerce(column, NullType()).label(f.name))
    order = [columns[[f.name for f in spec.fields].index(name)] for name in spec.key]
    return select(*columns).select_from(joined).order_by(*order)


def stored_batches(
    conn: Connection, spec: KindSpec, *, batch_size: int = 2000
) -> Iterator[Sequence[Sequence[Any]]]:
    """Every record of a kind in natural-key order, streamed in batches of rows: the values
    of ``spec.fields`` as the driver returns them, for exports that convert a column at a
    time instead of building records.

    References hold the natural key; money its minor units; dates ISO text (SQLite) or
    dates; lists JSON text (SQLite) or lists; booleans 0/1 (SQLite) or bools.
    """
    result = conn.execution_options(yield_per=batch_size).execute(_stored_select(spec))
    yield from result.partitions()
