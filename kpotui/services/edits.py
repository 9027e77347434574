"""One record named by its key, changed by a script: find, show, create, set, delete.

A record is named as the app shows it (:func:`~kpotui.services.records.key_text`):
``HX-001 / Q-report, overdue`` for a deliverable (its contract's code, then its title),
any case. Values are text, cleaned as the file format cleans them; an empty value
clears a field. Every write goes through :mod:`kpotui.services.writes` (validation,
version check, audit), as the app's forms do.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from kpotui.services import names, statements, writes
from kpotui.services.audit import AUDIT
from kpotui.services.change_log import event_time
from kpotui.services.errors import ConflictError, NotFoundError, ServiceError, ValidationError
from kpotui.services.fields import FieldType, KindSpec, kind_spec
from kpotui.services.history import record_history
from kpotui.services.records import (
    Record,
    get_in,
    key_text,
    record_select,
    references_to,
    resolve_id,
    row_to_record,
    table_of,
)
from kpotui.services.validation import clean_value
from kpotui.store import Store

SEPARATOR = " / "
"""Between the parts of a key of several fields, as :func:`key_text` joins them."""


def key_form(spec: KindSpec) -> str:
    """How a key of ``spec`` is written, e.g. ``CONTRACT / TITLE``."""
    return SEPARATOR.join(name.upper() for name in spec.key)


# -- finding a record by its key ------------------------------------------------------------


def find_id(conn: Connection, spec: KindSpec, text: str) -> int:
    """The id of the record whose key text is ``text`` (any case); NotFoundError naming
    the closest key when there is none."""
    parts = text.split(SEPARATOR, len(spec.key) - 1)
    if len(parts) < len(spec.key):  # written without the spaces: HX-001/Q-report
        parts = text.split(SEPARATOR.strip(), len(spec.key) - 1)
    parts = [part.strip() for part in parts]
    if len(parts) != len(spec.key) or not all(parts):
        raise NotFoundError(f"{text!r} is not a {spec.noun} key: write {key_form(spec)}")
    key: list[Any] = []
    for name, part in zip(spec.key, parts, strict=True):
        f = spec.field(name)
        if f.type is FieldType.REF:
            ref_id = resolve_id(conn, f.ref or "", part)
            if ref_id is None:
                raise NotFoundError(_missing_ref(conn, kind_spec(f.ref or ""), part))
            key.append(ref_id)
            continue
        try:
            key.append(clean_value(f, part))
        except ValueError as exc:
            raise NotFoundError(f"{spec.noun} {text!r}: {name}: {exc}") from None
    folded = statements.folded_key(spec, tuple(key))
    found = statements.existing_ids(conn, spec, [folded], up_to=None).get(folded)
    if found is None:
        near = names.closest(text, _neighbours(conn, spec, key[0]))
        hint = f" (closest: {near!r})" if near is not None else ""
        raise NotFoundError(f"no {spec.noun} {text!r}{hint}")
    return found


def _missing_ref(conn: Connection, spec: KindSpec, name: str) -> str:
    column = table_of(spec).c[spec.key[0]]
    near = names.closest(name, conn.execute(select(column)).scalars())
    hint = f" (closest: {near!r})" if near is not None else ""
    return f"no {spec.noun} has the {spec.key[0]} {name!r}{hint}"


def _neighbours(conn: Connection, spec: KindSpec, lead: Any) -> list[str]:
    """Key texts to suggest from: the records sharing the key's first part when it is a
    reference (a contract's deliverables), else every record of the kind."""
    table, first = table_of(spec), spec.field(spec.key[0])
    if len(spec.key) == 1:
        return list(conn.execute(select(table.c[first.column])).scalars())
    query = record_select(spec)
    if first.type is FieldType.REF:
        query = query.where(table.c[first.column] == lead)
    return [key_text(spec, row_to_record(spec, row)) for row in conn.execute(query)]


def find(store: Store, kind: str, text: str) -> Record:
    """The record of ``kind`` whose key text is ``text`` (any case)."""
    spec = kind_spec(kind)
    with store.read() as conn:
        return get_in(conn, spec, find_id(conn, spec, text))


# -- values given as field=value --------------------------------------------------------------


def assignments(spec: KindSpec, given: Sequence[str]) -> dict[str, str]:
    """``["status=submitted", "reviewer="]`` -> field -> text (empty: clear the field).
    Refuses a field the kind does not have, naming the closest one."""
    values: dict[str, str] = {}
    for pair in given:
        name, equals, value = pair.partition("=")
        name = name.strip()
        if not equals or not name:
            raise ServiceError(f"{pair!r} is not FIELD=VALUE (FIELD= clears a field)")
        if name not in spec.by_name:
            raise ServiceError(_unknown_field(spec, name))
        if name in values:
            raise ServiceError(f"{name} is given twice")
        values[name] = value
    return values


def _unknown_field(spec: KindSpec, name: str) -> str:
    if name in {f.name for f in spec.derived}:
        return f"{name} is worked out from the {spec.noun}'s history: it cannot be set"
    near = difflib.get_close_matches(name.lower(), list(spec.by_name), n=1)
    hint = f" (closest: {near[0]!r})" if near else ""
    return f"{spec.nouns} have no field {name!r}{hint}"


def _cleared_required(exc: ValidationError, values: Mapping[str, str]) -> ValidationError:
    """Say so when a required field is refused because the value given clears it."""
    return ValidationError(
        {
            name: "required: it cannot be cleared"
            if message == "required" and name in values and not values[name].strip()
            else message
            for name, message in exc.errors.items()
        }
    )


# -- writing ----------------------------------------------------------------------------------


def create(store: Store, kind: str, values: Mapping[str, str]) -> Record:
    """Create one record from ``values`` (see :func:`assignments`); returns it as stored."""
    try:
        return writes.create(store, kind, values)
    except ValidationError as exc:
        raise _cleared_required(exc, values) from None


def update(
    store: Store, kind: str, text: str, values: Mapping[str, str], *, if_version: int | None
) -> Record:
    """Change fields of the record named ``text``: refused, saying who changed it and
    when, if it is no longer at ``if_version`` (or at the version read, when None)."""
    record = find(store, kind, text)
    version = record["version"] if if_version is None else if_version
    try:
        return writes.update(store, kind, record["id"], values, version=version)
    except ValidationError as exc:
        raise _cleared_required(exc, values) from None
    except ConflictError as exc:
        raise _changed_since(store, kind_spec(kind), exc, version) from None


def delete(store: Store, kind: str, text: str, *, if_version: int | None) -> Record:
    """Delete the record named ``text`` (refused while others reference it), as
    :func:`update` checks its version; returns what was deleted."""
    record = find(store, kind, text)
    version = record["version"] if if_version is None else if_version
    try:
        return writes.delete(store, kind, record["id"], version=version)
    except ConflictError as exc:
        raise _changed_since(store, kind_spec(kind), exc, version) from None


def _changed_since(store: Store, spec: KindSpec, exc: ConflictError, version: int) -> ServiceError:
    """``… changed since version 3 by ana at 2026-12-03 10:04 (now version 5)``: who made
    the record's newest change, from the audit trail."""
    current = exc.current
    if current is None:
        return exc
    query = (
        select(AUDIT.c.actor, AUDIT.c.at)
        .where(AUDIT.c.kind == spec.name, AUDIT.c.record_id == current["id"])
        .order_by(AUDIT.c.id.desc())
        .limit(1)
    )
    with store.read() as conn:
        event = conn.execute(query).first()
    by = ""
    if event is not None:
        when = event_time({"at": event.at}).astimezone().strftime("%Y-%m-%d %H:%M")
        by = f" by {event.actor} at {when}"
    return ConflictError(
        f"{spec.noun} {key_text(spec, current)!r} changed since version {version}{by} "
        f"(now version {current['version']})",
        current,
    )


# -- showing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordView:
    """A record with what refers to it and its newest audit events."""

    spec: KindSpec
    record: Record
    referenced_by: list[str]
    """E.g. ``["3 contracts (ENG-1, ENG-2, ENG-3)"]``; empty when nothing refers to it."""
    history: list[dict[str, Any]]
    """Newest first, at most the limit asked for."""
    events: int
    """How many events its history holds in all."""


def view(store: Store, kind: str, text: str, *, history: int = 10) -> RecordView:
    """The record named ``text``, what refers to it and its ``history`` newest events."""
    spec = kind_spec(kind)
    with store.read() as conn:
        record = get_in(conn, spec, find_id(conn, spec, text))
        referenced_by = references_to(conn, spec, record["id"])
    events = record_history(store, spec.name, record["id"])
    return RecordView(spec, record, referenced_by, events[::-1][:history], len(events))
