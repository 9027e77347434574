"""The one door for writes: create, update, upsert and delete, in batches.

Every front end writes through a :class:`Batch`: a form's save is a batch of one, an
import is one batch of many chunks, an undo is a batch of the reverting changes. The
batch applies every rule once, whoever writes: validation and cross-field rules
(:mod:`kpotui.services.validation`), defaults, references resolved to ids, natural keys
unique, the optimistic version check, and one audit event per record changed.

Problems with the input (a bad value, an unknown reference, a duplicate key) are handed
to a :class:`ProblemSink` with the item's ``at`` (a form field, a file line) and the
batch carries on, so every problem of a file is reported at once; the caller commits
only when there are none. A changed or deleted record (version check) raises at once.

Audit events mean the same whoever wrote them: a ``create`` names the record and its
batch (its values at creation are the record itself, less the later updates, see
:mod:`kpotui.services.history`); an ``update`` holds each changed field's before and
after; a ``delete`` every value it removed.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from sqlalchemy import Connection
from sqlalchemy.exc import DataError, IntegrityError

from kpotui.services import marking, settings, statements, submissions
from kpotui.services.errors import (
    ConflictError,
    NotFoundError,
    ReferencedError,
    ValidationError,
)
from kpotui.services.fields import FieldType, KindSpec, kind_spec, referencing
from kpotui.services.records import (
    Record,
    get_in,
    key_text,
    references_to,
    table_of,
)
from kpotui.services.validation import ValueCache, clean_collect, clean_value, record_errors
from kpotui.store import Store, keys, tuning
from kpotui.store.keys import fold

ON_EXISTING = ("error", "skip", "update")
"""What a create does with a record whose natural key exists already."""
BLOCKED = "\0blocked"
"""Marks an item whose reference names an item that failed: that problem is reported
already, so this one is not reported again (the item still fails)."""


class ProblemSink(Protocol):
    """Where a batch reports what is wrong with its input (an import's problem list)."""

    def add(self, at: Any, message: str, field_name: str | None = None) -> None: ...

    def __bool__(self) -> bool: ...


class FieldProblems:
    """A sink for a batch of one: field name -> the first message about it."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, at: Any, message: str, field_name: str | None = None) -> None:
        self.errors.setdefault(field_name or "", message)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


@dataclass
class Item:
    """One record to create (or upsert): raw values as given, and where they came from."""

    values: Mapping[str, Any]
    at: Any = None
    record_id: int | None = None
    """Create under this id (undo re-creates a deleted record under its old one)."""


@dataclass
class KindCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    @property
    def written(self) -> int:
        return self.added + self.updated


@dataclass
class _Valid:
    item: Item
    values: dict[str, Any]
    ref_ids: dict[str, int] = field(default_factory=dict)
    key: tuple[Any, ...] = ()


@dataclass
class _KindState:
    """What a batch remembers of one kind across its chunks."""

    watermark: int
    """The highest id before the batch: records above it were added by the batch."""
    seen: set[int] = field(default_factory=set)
    """Hashes of the folded natural keys created or upserted so far: one given twice, in
    any case, is an error. Hashes, not keys, so a 200,000-row import does not hold a copy
    of every title; a hash seen before is confirmed against the key itself
    (:meth:`Batch._given_before`) before it is called a duplicate."""
    cache: ValueCache = field(default_factory=ValueCache)
    defaults: dict[str, Any] = field(default_factory=dict)


@cache
def _field_positions(spec: KindSpec) -> dict[str, int]:
    return {f.name: i for i, f in enumerate(spec.fields)}


FIRM_DEFAULTS: dict[tuple[str, str], settings.FirmSetting[Any]] = {
    ("contract", "currency"): settings.CURRENCY,
    ("task", "currency"): settings.CURRENCY,
}
"""(kind, field) -> the firm setting a new record takes when it leaves the field out."""


def defaults_of(conn: Connection, spec: KindSpec) -> dict[str, Any]:
    """The value of every field a new record leaves out: the field's default, or what the
    firm decides (a contract's currency: the reporting currency)."""
    values = {f.name: [] if f.type is FieldType.LIST else f.default for f in spec.fields}
    for (kind, name), setting in FIRM_DEFAULTS.items():
        if kind == spec.name:
            values[name] = settings.get(conn, setting)
    return values


Rule = Callable[
    [Mapping[str, Any] | None, Mapping[str, Any]], tuple[dict[str, Any], dict[str, str]]
]
"""(record before the write, None for a new one; values written) -> (more values to
write, field -> problem)."""


def _deliverable_rule(
    before: Mapping[str, Any] | None, values: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Dates the status no longer keeps are cleared, and the history of submissions is
    carried on (:mod:`kpotui.services.marking`, :mod:`kpotui.services.submissions`)."""
    clear, errors = marking.status_dates(before, values)
    if before is None:  # a new record: nothing is cleared, ``values`` is all of it
        return submissions.derived(None, values), errors
    return clear | submissions.derived(before, {**before, **values, **clear}), errors


KIND_RULES: dict[str, Rule] = {"deliverable": _deliverable_rule}
"""Per kind, what every write of a record brings besides the values given."""


class Batch:
    """Writes inside the caller's write transaction, audited under one batch label."""

    def __init__(
        self,
        conn: Connection,
        problems: ProblemSink,
        *,
        label: str | None = None,
        on_existing: str = "error",
        existing_hint: str = "",
        restoring: bool = False,
    ) -> None:
        """``existing_hint`` ends the message refusing a record that exists already (an
        import names its ``--on-conflict`` option there). ``restoring`` (an undo) writes
        values as the audit kept them, derived ones included, and applies no
        :data:`KIND_RULES`."""
        if on_existing not in ON_EXISTING:
            raise ValueError(f"on_existing must be one of {ON_EXISTING}")
        self.conn, self.problems, self.label = conn, problems, label
        self.restoring = restoring
        self.on_existing, self.existing_hint = on_existing, existing_hint
        self.counts: dict[str, KindCounts] = {}
        self._ids: dict[str, dict[str, int]] = {}
        """Natural key -> id of the records referenced so far, per kind."""
        self._failed: dict[str, set[str]] = {}
        """Keys of items that failed, per kind: references to them are not reported again."""
        self._kinds: dict[str, _KindState] = {}
        self._reporting: str | None = None

    # -- reporting ----------------------------------------------------------------------

    def _fail(self, spec: KindSpec, item: Item, errors: Mapping[str, str]) -> None:
        """Report every problem of the item, in the order of its kind's fields."""
        position = _field_positions(spec)
        for name in sorted(errors, key=lambda name: position.get(name, -1)):
            if name != BLOCKED:
                self.problems.add(item.at, errors[name], name)
        key = item.values.get(spec.key[0])
        if isinstance(key, str):
            self._failed.setdefault(spec.name, set()).add(fold(key))

    def _forget(self, spec: KindSpec, records: Iterable[Mapping[str, Any]]) -> None:
        """Drop the remembered ids of records renamed or deleted by this batch, however
        they were named, so a later item naming them looks them up again (and finds the
        record now so named, or none)."""
        known = self._ids.get(spec.name)
        ids = {record["id"] for record in records}
        if known and ids:
            for name in [name for name, record_id in known.items() if record_id in ids]:
                del known[name]

    def state(self, spec: KindSpec) -> _KindState:
        state = self._kinds.get(spec.name)
        if state is None:
            defaults = defaults_of(self.conn, spec) | {f.name: f.default for f in spec.derived}
            state = _KindState(statements.max_id(self.conn, spec), defaults=defaults)
            self._kinds[spec.name] = state
        return state

    def _firm_errors(self, spec: KindSpec, record: Mapping[str, Any]) -> dict[str, str]:
        """Rules that depend on the firm's settings: no rate of the reporting currency
        (it is 1 by definition)."""
        if spec.name != "rate" or record.get("currency") is None:
            return {}
        if self._reporting is None:
            self._reporting = settings.get(self.conn, settings.CURRENCY)
        if record["currency"] == self._reporting:
            return {
                "currency": f"{self._reporting} is the reporting currency: "
                "its rate is 1 by definition"
            }
        return {}

    # -- references ---------------------------------------------------------------------

    def _ref_ids(self, kind: str, names: Iterable[str]) -> dict[str, int]:
        """Natural key -> id of the ``kind`` records named: looked up once per batch."""
        known = self._ids.setdefault(kind, {})
        missing = set(names) - known.keys()
        if missing:
            known.update(statements.ids_by_key(self.conn, kind_spec(kind), missing))
        return known

    def _resolve(self, spec: KindSpec, rows: list[_Valid], errors: list[dict[str, str]]) -> None:
        """Resolve every reference of ``rows`` (one query per referenced kind); an unknown
        name goes to that row's ``errors``, unless the row naming it failed already."""
        for f in spec.refs:
            found = self._ref_ids(
                f.ref or "", (r.values[f.name] for r in rows if r.values.get(f.name) is not None)
            )
            failed = self._failed.get(f.ref or "", set())
            for row, row_errors in zip(rows, errors, strict=True):
                name = row.values.get(f.name)
                if name is None or f.name in row_errors:
                    continue
                if name in found:
                    row.ref_ids[f.name] = found[name]
                elif fold(name) in failed:
                    row_errors.setdefault(BLOCKED, "")
                else:
                    row_errors[f.name] = f"no {f.ref} named {name!r}"

    def _clean(
        self, spec: KindSpec, raw: Mapping[str, Any], cache: ValueCache
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """:func:`clean_collect` of ``raw``; when restoring, its derived values too."""
        restored: dict[str, Any] = {}
        if self.restoring and spec.derived:
            raw = dict(raw)
            for f in spec.derived:
                if f.name in raw:
                    restored[f.name] = clean_value(f, raw.pop(f.name))
        values, errors = clean_collect(spec, raw, partial=True, cache=cache)
        return values | restored, errors

    def _rule(self, spec: KindSpec) -> Rule | None:
        return None if self.restoring else KIND_RULES.get(spec.name)

    # -- create and upsert --------------------------------------------------------------

    def put(self, spec: KindSpec, items: Sequence[Item]) -> list[int | None]:
        """Create each item; one whose natural key exists already is refused, skipped or
        updated as ``on_existing`` says. Returns each item's record id (None: not written)."""
        state = self.state(spec)
        counts = self.counts.setdefault(spec.name, KindCounts())
        rows: list[_Valid] = []
        errors: list[dict[str, str]] = []
        rule = self._rule(spec)
        for item in items:
            values, row_errors = self._clean(spec, item.values, state.cache)
            for name in spec.key:
                if name not in values and name not in row_errors:
                    row_errors[name] = "required"
            rows.append(_Valid(item, values))
            errors.append(row_errors)
        self._resolve(spec, rows, errors)
        key = spec.key
        for row, row_errors in zip(rows, errors, strict=True):
            if not row_errors or not any(name in row_errors for name in key):
                ids, values = row.ref_ids, row.values
                given = tuple([ids[n] if n in ids else values[n] for n in key])
                row.key = statements.folded_key(spec, given)
        existing = statements.existing_ids(
            self.conn, spec, [row.key for row in rows if row.key], up_to=state.watermark
        )
        stored = self._stored(spec, existing.values()) if self.on_existing == "error" else {}
        new: list[tuple[int, dict[str, Any]]] = []  # (index in items, complete record)
        to_update: list[tuple[int, int]] = []  # (index in items, record id)
        last = spec.key[-1]
        for index, (row, row_errors) in enumerate(zip(rows, errors, strict=True)):
            record_id = existing.get(row.key)
            if row.key and record_id is None:  # new: rules across the whole record, too
                record = state.defaults | row.values
                if rule is not None:
                    extra, problems = rule(None, record)
                    record |= extra
                    row_errors = problems | row_errors
                row_errors = (
                    record_errors(spec, record) | self._firm_errors(spec, record) | row_errors
                )
            first = (
                self._given_before(spec, row.key, rows[:index])
                if not row_errors and hash(row.key) in state.seen
                else None
            )
            if first is not None:
                name = key_text(spec, row.values)
                row_errors[last] = (
                    f"{name!r} is given more than once in this import"
                    if name == first
                    else f"{name!r} clashes with {first!r} given earlier in this import "
                    f"({_unique_rule(spec)})"
                )
            if row_errors:
                self._fail(spec, row.item, row_errors)
                continue
            state.seen.add(hash(row.key))
            if record_id is None:
                new.append((index, record))
            elif self.on_existing == "error":
                message = _exists(spec, row.values, stored[record_id]) + self.existing_hint
                self._fail(spec, row.item, {last: message})
            elif self.on_existing == "skip":
                counts.skipped += 1
            else:
                to_update.append((index, record_id))
        result: list[int | None] = [None] * len(rows)
        created = statements.insert_records(
            self.conn,
            spec,
            [(record, rows[i].ref_ids, rows[i].item.record_id) for i, record in new],
            batch=self.label,
        )
        for (index, _), record_id in zip(new, created, strict=True):
            result[index] = record_id
        counts.added += len(new)
        current = statements.records_by_id(self.conn, spec, [i for _, i in to_update])
        pending = []
        for index, record_id in to_update:  # the record keeps its key as stored
            result[index] = record_id
            values = {n: v for n, v in rows[index].values.items() if n not in key}
            pending.append((current[record_id], values, rows[index].item))
        self._apply_updates(spec, pending, counts)
        return result

    # -- update -------------------------------------------------------------------------

    def update(
        self,
        spec: KindSpec,
        changes: Sequence[tuple[int, Mapping[str, Any], int | None]],
        *,
        at: Any = None,
    ) -> None:
        """Change fields of records read at a version: (id, raw values, version). A version
        of None skips the check (an undo, which reads and writes in one transaction)."""
        counts = self.counts.setdefault(spec.name, KindCounts())
        current = statements.records_by_id(self.conn, spec, [c[0] for c in changes])
        state = self.state(spec)
        pending = []
        for record_id, raw, version in changes:
            before = self._current(spec, current, record_id, version)
            values, errors = self._clean(spec, raw, state.cache)
            item = Item(raw, at)
            if errors:
                self._fail(spec, item, errors)
                continue
            pending.append((before, values, item))
        self._apply_updates(spec, pending, counts)

    def _current(
        self,
        spec: KindSpec,
        current: Mapping[int, Record],
        record_id: int,
        version: int | None,
    ) -> Record:
        record = current.get(record_id)
        if record is None:
            raise NotFoundError(f"the {spec.name} was deleted by someone else")
        if version is not None and record["version"] != version:
            raise ConflictError(
                f"{spec.name} {key_text(spec, record)!r} was changed by someone else "
                f"(version {record['version']}, you read {version})",
                record,
            )
        return record

    def _apply_updates(
        self,
        spec: KindSpec,
        pending: Sequence[tuple[Record, Mapping[str, Any], Item]],
        counts: KindCounts,
    ) -> None:
        """Write (current record, clean values given, item) where anything changed."""
        rows: list[_Valid] = []
        errors: list[dict[str, str]] = []
        befores: list[Record] = []
        rule = self._rule(spec)
        refs = {f.name for f in spec.refs}
        for before, values, item in pending:
            changed = {n: v for n, v in values.items() if not _same(before[n], v, n in refs)}
            problems: dict[str, str] = {}
            if rule is not None and changed:
                extra, problems = rule(before, changed)
                changed |= {n: v for n, v in extra.items() if before[n] != v}
            rows.append(_Valid(item, changed))
            errors.append(
                problems
                | record_errors(spec, before | changed)
                | self._firm_errors(spec, before | changed)
            )
            befores.append(before)
        self._resolve(spec, rows, errors)
        ready = []
        for before, row, row_errors in zip(befores, rows, errors, strict=True):
            if not row_errors and any(name in spec.key for name in row.values):
                row_errors = self._key_taken(spec, before | row.values, before["id"])
            if row_errors:
                self._fail(spec, row.item, row_errors)
            elif row.values:
                ready.append((before, row.values, row.ref_ids))
            else:
                counts.unchanged += 1
        moved = statements.update_records(self.conn, spec, ready, batch=self.label)
        if moved:
            self._refuse_moved(spec, ready, moved)
        self._forget(spec, (before for before, values, _ in ready if spec.key[0] in values))
        counts.updated += len(ready)

    def _refuse_moved(
        self, spec: KindSpec, ready: Sequence[tuple[Record, Any, Any]], moved: int
    ) -> None:
        """Another writer committed a change to records of ``ready`` after they were read."""
        if len(ready) == 1:
            before = ready[0][0]
            now = statements.records_by_id(self.conn, spec, [before["id"]]).get(before["id"])
            if now is None:
                raise NotFoundError(f"the {spec.name} was deleted by someone else")
            self._current(spec, {before["id"]: now}, before["id"], before["version"])
        raise ConflictError(
            f"{moved:,} of {len(ready):,} {spec.plural} were changed by someone else meanwhile",
            None,
        )

    def _key_taken(self, spec: KindSpec, record: Mapping[str, Any], own_id: int) -> dict[str, str]:
        key = []
        for name in spec.key:
            f = spec.field(name)
            if f.type is FieldType.REF:
                found = self._ref_ids(f.ref or "", [record[name]])
                key.append(found.get(record[name]))
            else:
                key.append(record[name])
        folded = statements.folded_key(spec, tuple(key))
        other = statements.existing_ids(self.conn, spec, [folded], up_to=None).get(folded)
        if other is None or other == own_id:
            return {}
        return {spec.key[-1]: _exists(spec, record, self._stored(spec, [other])[other])}

    def _given_before(
        self, spec: KindSpec, key: tuple[Any, ...], earlier: list[_Valid]
    ) -> str | None:
        """How the item that first gave ``key`` in this batch spelt it: in this chunk, or
        written already; None when no record has it (another key with the same hash)."""
        for row in earlier:
            if row.key == key:
                return key_text(spec, row.values)
        written = statements.existing_ids(self.conn, spec, [key], up_to=None).get(key)
        if written is None:
            return None
        return key_text(spec, self._stored(spec, [written])[written])

    def _stored(self, spec: KindSpec, ids: Iterable[int]) -> dict[int, Record]:
        """The records with these ids, to name them in a message."""
        return statements.records_by_id(self.conn, spec, ids) if ids else {}

    # -- delete -------------------------------------------------------------------------

    def delete(self, spec: KindSpec, targets: Sequence[tuple[int, int | None]]) -> list[Record]:
        """Delete records read at a version, (id, version); refused while others reference
        any of them. Returns what was deleted."""
        ids = [record_id for record_id, _ in targets]
        current = statements.records_by_id(self.conn, spec, ids)
        found = [self._current(spec, current, i, v) for i, v in targets]
        for other, f in referencing(spec.name):
            blocked = statements.first_referencing(self.conn, table_of(other).c[f.column], ids)
            if blocked is not None:
                label = key_text(spec, current[blocked])
                reasons = " and ".join(references_to(self.conn, spec, blocked))
                raise ReferencedError(
                    f"cannot delete {spec.name} {label!r}: referenced by {reasons}"
                )
        statements.delete_records(self.conn, spec, found, batch=self.label)
        self._forget(spec, found)
        return found


def _unique_rule(spec: KindSpec) -> str:
    """E.g. ``names are unique ignoring case``, ``titles are unique per contract ...``."""
    per = [spec.field(name).ref or name for name in spec.key[:-1]]
    within = f" per {' and '.join(per)}" if per else ""
    return f"{keys.plural(spec.key[-1])} are unique{within} ignoring case"


def _exists(spec: KindSpec, given: Mapping[str, Any], stored: Record) -> str:
    """Why a record with ``given`` values cannot take the key ``stored`` holds."""
    name, theirs = key_text(spec, given), key_text(spec, stored)
    texts = [n for n in spec.key if spec.field(n).type is FieldType.TEXT]
    if all(given[n] == stored[n] for n in texts):
        return f"a {spec.name} {name!r} already exists"
    return f"{spec.name} {name!r} clashes with existing {theirs!r} ({_unique_rule(spec)})"


def _same(before: Any, after: Any, reference: bool) -> bool:
    """Whether a field keeps its value: a reference naming the same record in another
    case does."""
    if reference and isinstance(before, str) and isinstance(after, str):
        return fold(before) == fold(after)
    return bool(before == after)


# -- one record at a time, for forms --------------------------------------------------------


def _guarded(spec: KindSpec, action: Callable[[], Record]) -> Record:
    """Turn a constraint violation that slipped past the checks into a field message."""
    try:
        return action()
    except IntegrityError as exc:
        raise ValidationError({spec.key[-1]: f"conflicts with an existing {spec.name}"}) from exc


def create(store: Store, kind: str, raw: Mapping[str, Any]) -> Record:
    """Validate and create one record; returns it as stored."""
    spec = kind_spec(kind)

    def run() -> Record:
        with store.write() as conn:
            problems = FieldProblems()
            (record_id,) = Batch(conn, problems).put(spec, [Item(raw)])
            problems.raise_any()
            assert record_id is not None
            return get_in(conn, spec, record_id)

    return _guarded(spec, run)


def update(
    store: Store, kind: str, record_id: int, raw: Mapping[str, Any], *, version: int | None
) -> Record:
    """Change some fields of a record read at ``version``; returns the record as stored.
    Raises :class:`ConflictError` (with their record) when someone changed it since."""
    spec = kind_spec(kind)

    def run() -> Record:
        with store.write() as conn:
            problems = FieldProblems()
            Batch(conn, problems).update(spec, [(record_id, raw, version)])
            problems.raise_any()
            return get_in(conn, spec, record_id)

    return _guarded(spec, run)


def delete(store: Store, kind: str, record_id: int, *, version: int | None) -> Record:
    """Delete a record (refused while others reference it); returns what was deleted."""
    spec = kind_spec(kind)
    with store.write() as conn:
        return Batch(conn, FieldProblems()).delete(spec, [(record_id, version)])[0]


# -- many records in one transaction, for imports -------------------------------------------


class Rejected(Exception):
    """The batch found problems (all handed to its sink); nothing was written."""


class _DryRun(Exception):
    """Unwinds a successful dry run so that its transaction rolls back."""


ANALYZE_AFTER_ROWS = 10_000
"""Refresh SQLite's planner statistics after writing more rows than this."""
DEFER_INDEXES_AFTER_ROWS = 20_000
"""Once this many records of a kind are added (and at least half as many as its table
held), its secondary indexes are dropped and built again after its last row: sorting
all values once costs less than inserting each in turn (SQLite only)."""

Chunk = tuple[KindSpec, Sequence[Item]]
"""Some items of one kind."""


def write_all(
    store: Store,
    chunks: Iterable[Chunk],
    problems: ProblemSink,
    *,
    label: str,
    on_existing: str = "error",
    existing_hint: str = "",
    dry_run: bool = False,
) -> dict[str, KindCounts]:
    """Put every chunk in one write transaction, all or nothing: when the sink holds any
    problem at the end (the batch's or the caller's own, e.g. a file that could not be
    read) raises :class:`Rejected` and nothing is written. Kinds come in dependency order
    (providers before the contracts that name them), each kind's chunks together."""
    try:
        with _collector_paused(), store.write() as conn, tuning.large_page_cache(conn):
            batch = Batch(
                conn, problems, label=label, on_existing=on_existing, existing_hint=existing_hint
            )
            _put_all(batch, chunks)
            if problems:
                raise Rejected
            if sum(c.written for c in batch.counts.values()) > ANALYZE_AFTER_ROWS:
                tuning.analyze(conn)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except IntegrityError as exc:  # a concurrent writer took a key between check and insert
        problems.add(None, f"conflicting concurrent change: {exc.orig}")
        raise Rejected from exc
    except DataError as exc:  # a value valid for kpotui but not for this database's column
        message = str(exc.orig).splitlines()[0]
        problems.add(None, f"the database refused a value: {message}")
        raise Rejected from exc
    return batch.counts


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one bulk write.

    A large batch holds hundreds of thousands of dicts (rows, values, problems) alive at
    once, none in a reference cycle; each of the collector's passes walks all of them.
    Importing the 200,000 deliverables took ~20% more CPU with it running (paired runs:
    18.2-19.9 s user against 14.7-15.9 s). Memory is freed by reference counting as
    usual; what is paused is only the search for cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _put_all(batch: Batch, chunks: Iterable[Chunk]) -> None:
    """Put the chunks; a kind that grows by many rows has its secondary indexes dropped
    meanwhile and built again after its last chunk."""
    kind: KindSpec | None = None
    dropped: list[str] | None = None  # statements creating the indexes dropped meanwhile
    for spec, chunk in chunks:
        if spec is not kind:
            tuning.create_indexes(batch.conn, dropped or [])
            kind, dropped = spec, None
        watermark = batch.state(spec).watermark
        batch.put(spec, chunk)
        added = batch.counts[spec.name].added
        if dropped is None and added >= max(DEFER_INDEXES_AFTER_ROWS, watermark // 2):
            dropped = tuning.drop_secondary_indexes(batch.conn, table_of(spec).name)
    tuning.create_indexes(batch.conn, dropped or [])
