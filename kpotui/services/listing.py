"""Filtered, sorted, paged lists of records, for tables of any size and for scripts.

Paging is keyset paging: a page starts strictly after (or before) the *cursor* of a row,
``(is_null, sort value, id)``, so fetching page 1,000 costs what fetching page 1 costs.
NULL sort values come last in both directions, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    case,
    cast,
    false,
    func,
    or_,
    select,
    tuple_,
)

from kpotui.services import search
from kpotui.services.fields import FieldSpec, FieldType, KindSpec, kind_spec
from kpotui.services.records import Record, record_select, resolve_id, row_to_record, table_of
from kpotui.services.validation import canonical_enum
from kpotui.store import Store

Cursor = tuple[Any, ...]
END: Cursor = ("__end__",)
"""Pass as ``before`` to get the last page."""

DATE_FIELD = {
    "provider": "certification_expiry",
    "contract": "end_date",
    "deliverable": "due_date",
    "note": "review_by",
    "decision": "date",
    "rate": "date",
}
"""The date that ``due_before`` / ``due_after`` filter on, per kind."""

DEFAULT_SORT = {
    "provider": ("name", False),
    "contract": ("code", False),
    "deliverable": ("due_date", False),
    "task": ("name", False),
    "note": ("title", False),
    "decision": ("date", True),
    "rate": ("currency", False),
}


@dataclass(frozen=True)
class ListFilter:
    """What to keep. Every part is optional; parts combine with AND."""

    equals: Mapping[str, Any] = field(default_factory=dict)
    """Field -> value (enums in any spelling, references by natural key); a list or tuple
    of values keeps the records matching any of them. ``provider`` also filters kinds that
    reach a provider through their contract."""
    due_before: date | None = None
    due_after: date | None = None
    tag: str | None = None
    text: str = ""
    """Incremental filter: substring of the kind's search fields; full-text for notes."""
    text_fields: tuple[str, ...] = ()
    """The fields ``text`` is looked for in (a table passes the ones its columns show; a
    reference is matched by the key of the record it names); empty: the kind's search
    fields. Notes are matched full-text as well."""


def _conditions(spec: KindSpec, flt: ListFilter, conn: Any) -> list[Any]:
    """Conditions on the kind's own table only, so a count needs no join."""
    table = table_of(spec)
    conditions: list[Any] = []
    for name, value in flt.equals.items():
        if name == "provider" and "provider" not in spec.by_name and "contract" in spec.by_name:
            provider_id = resolve_id(conn, "provider", value)
            contracts = table_of(kind_spec("contract"))
            conditions.append(
                table.c.contract_id.in_(
                    select(contracts.c.id).where(contracts.c.provider_id == provider_id)
                )
            )
            continue
        f = spec.field(name)
        if isinstance(value, list | tuple):
            conditions.append(table.c[f.column].in_([_stored(conn, f, v) for v in value]))
        else:
            conditions.append(table.c[f.column] == _stored(conn, f, value))
    date_field = DATE_FIELD.get(spec.name)
    if date_field:
        if flt.due_before is not None:
            conditions.append(table.c[date_field] < flt.due_before)
        if flt.due_after is not None:
            conditions.append(table.c[date_field] > flt.due_after)
    elif flt.due_before is not None or flt.due_after is not None:
        conditions.append(false())
    if flt.tag:
        if "tags" in spec.by_name:
            pattern = f"%{_escape(json.dumps(flt.tag.strip()))}%"
            conditions.append(cast(table.c.tags, String).like(pattern, escape="\\"))
        else:
            conditions.append(false())
    text = flt.text.strip()
    if text:
        matches = []
        if spec.name == "note":
            matches.append(search.note_match(conn, table.c.id, text))
        if spec.name != "note" or flt.text_fields:
            matches += _text_matches(conn, spec, flt.text_fields, f"%{_escape(text)}%")
        conditions.append(or_(*matches))
    return conditions


def _stored(conn: Any, f: FieldSpec, value: Any) -> Any:
    """A filter value as the column holds it: a reference's id, an enum's canonical form."""
    if f.type is FieldType.REF:
        return resolve_id(conn, f.ref or "", value)
    if f.type is FieldType.ENUM and isinstance(value, str):
        return canonical_enum(value)
    return value


TEXT_TYPES = frozenset(
    {FieldType.TEXT, FieldType.EMAIL, FieldType.CURRENCY, FieldType.ENUM, FieldType.LIST}
)
"""Fields shown as text, that a typed filter can match (references are matched too)."""


def _text_matches(conn: Any, spec: KindSpec, names: tuple[str, ...], pattern: str) -> list[Any]:
    """The fields ``names`` matching ``pattern``: text fields themselves, references by the
    key of the record they name. Without names: the search fields, and the references
    in the natural key (a deliverable is found by its contract's code)."""

    def like(column: Any) -> Any:
        # SQLite's LIKE already ignores case exactly as far as its lower() does (ASCII):
        # the lower() calls that ilike adds there would only slow every row of a scan.
        if conn.dialect.name == "sqlite":
            return column.like(pattern, escape="\\")
        return column.ilike(pattern, escape="\\")

    table = table_of(spec)
    if not names:
        names = (*spec.search, *(f.name for f in spec.refs if f.name in spec.key))
    matches = []
    for name in names:
        f = spec.field(name)
        if f.type is FieldType.LIST:
            matches.append(like(cast(table.c[f.column], String)))
        elif f.type in TEXT_TYPES:
            matches.append(like(table.c[f.column]))
        elif f.type is FieldType.REF:
            target = kind_spec(f.ref or "")
            referenced = table_of(target)
            named = like(referenced.c[target.key[0]])
            matches.append(table.c[f.column].in_(select(referenced.c.id).where(named)))
    return matches


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(conn: Any, spec: KindSpec, flt: ListFilter) -> Select[Any]:
    return record_select(spec).where(*_conditions(spec, flt, conn))


def count(store: Store, kind: str, flt: ListFilter | None = None) -> int:
    """How many records match: the row count a table's scrollbar needs."""
    spec = kind_spec(kind)
    with store.read() as conn:
        query = select(func.count()).select_from(table_of(spec))
        query = query.where(*_conditions(spec, flt or ListFilter(), conn))
        return int(conn.execute(query).scalar_one())


def _never_null(spec: KindSpec, name: str) -> bool:
    f = spec.field(name)
    if f.type is FieldType.REF:
        return f.required
    return not table_of(spec).c[f.column].nullable


def _sort_parts(spec: KindSpec, query: Select[Any], sort: str | None) -> tuple[Any, Any, Any]:
    """(NULL flag, sort expression, id): the ordering. The flag, which puts NULLs last, is
    None for a column that cannot be NULL, so that an index on the column serves the
    ordering (no index holds the flag)."""
    name = sort or DEFAULT_SORT[spec.name][0]
    expr = query.selected_columns[name]
    if spec.field(name).type is FieldType.LIST:
        expr = cast(expr, String)  # JSON has no order on PostgreSQL; its text has
    null_flag = None if _never_null(spec, name) else case((expr.is_(None), 1), else_=0)
    return null_flag, expr, table_of(spec).c.id


def cursor_of(record: Record, sort: str | None, kind: str) -> Cursor:
    """The keyset position of ``record`` in an ordering by ``sort``."""
    spec = kind_spec(kind)
    name = sort or DEFAULT_SORT[spec.name][0]
    value = record[name]
    if isinstance(value, list):
        value = json.dumps(value)
    return (1 if value is None else 0, value, record["id"])


def _past(expr: Any, ident: Any, value: Any, record_id: int, downward: bool) -> Any:
    """Rows past ``(value, record_id)``: a row-value comparison that an index on ``expr``
    can start from (the first term tells planners that cannot split a row value)."""
    if downward:
        return and_(expr <= value, tuple_(expr, ident) < tuple_(value, record_id))
    return and_(expr >= value, tuple_(expr, ident) > tuple_(value, record_id))


def _after(parts: tuple[Any, Any, Any], cursor: Cursor, descending: bool) -> ColumnElement[bool]:
    flag, expr, ident = parts
    is_null, value, record_id = cursor
    if flag is None:
        return _past(expr, ident, value, record_id, descending)

    def beyond(column: Any, bound: Any) -> Any:
        return column < bound if descending else column > bound

    if is_null:
        return and_(flag == 1, beyond(ident, record_id))
    return or_(
        flag == 1,
        and_(flag == 0, or_(beyond(expr, value), and_(expr == value, beyond(ident, record_id)))),
    )


def _before(parts: tuple[Any, Any, Any], cursor: Cursor, descending: bool) -> ColumnElement[bool]:
    flag, expr, ident = parts
    is_null, value, record_id = cursor
    if flag is None:
        return _past(expr, ident, value, record_id, not descending)

    def short(column: Any, bound: Any) -> Any:
        return column > bound if descending else column < bound

    if is_null:
        return or_(flag == 0, and_(flag == 1, short(ident, record_id)))
    return and_(flag == 0, or_(short(expr, value), and_(expr == value, short(ident, record_id))))


def page(
    store: Store,
    kind: str,
    *,
    flt: ListFilter | None = None,
    sort: str | None = None,
    descending: bool | None = None,
    after: Cursor | None = None,
    before: Cursor | None = None,
    limit: int = 100,
) -> list[Record]:
    """Up to ``limit`` records in display order: the first page, the page after ``after``,
    the page before ``before``, or the last page (``before=END``)."""
    spec = kind_spec(kind)
    if descending is None:
        descending = DEFAULT_SORT[spec.name][1] if sort is None else False
    with store.read() as conn:
        query = _filtered(conn, spec, flt or ListFilter())
        parts = _sort_parts(spec, query, sort)
        flag, expr, ident = parts
        backwards = before is not None
        if after is not None:
            query = query.where(_after(parts, after, descending))
        if before is not None and before != END:
            query = query.where(_before(parts, before, descending))
        reverse = descending != backwards
        order = [] if flag is None else [flag.desc() if backwards else flag.asc()]
        order += [expr.desc(), ident.desc()] if reverse else [expr.asc(), ident.asc()]
        rows = conn.execute(query.order_by(*order).limit(limit)).all()
    records = [row_to_record(spec, row) for row in rows]
    return records[::-1] if backwards else records


def seek(
    store: Store,
    kind: str,
    index: int,
    *,
    flt: ListFilter | None = None,
    sort: str | None = None,
    descending: bool | None = None,
) -> Cursor | None:
    """The cursor of the row at position ``index - 1`` (None for index 0).

    Only for jumping to an arbitrary position (a scrollbar drag): it costs a scan up to
    ``index``, where keyset paging (every key press) costs one page.
    """
    if index <= 0:
        return None
    spec = kind_spec(kind)
    if descending is None:
        descending = DEFAULT_SORT[spec.name][1] if sort is None else False
    with store.read() as conn:
        query = _filtered(conn, spec, flt or ListFilter())
        flag, expr, ident = _sort_parts(spec, query, sort)
        order = [] if flag is None else [flag.asc()]
        order += [expr.desc(), ident.desc()] if descending else [expr, ident]
        row = conn.execute(query.order_by(*order).offset(index - 1).limit(1)).first()
    if row is None:
        return None
    return cursor_of(row_to_record(spec, row), sort, kind)
