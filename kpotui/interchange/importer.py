"""Importing ``kpotui/1`` input: validated in chunks, written in bulk, all or nothing.

All inputs of one import share one write transaction. Kinds are processed in dependency
order (providers before the contracts that name them, and so on), so a reference may
point at a record of the same import, in any file and any row order, or at one already
in the database. Rows are read as a stream and handled a chunk at a time: each chunk is
validated row by row with the services' rules, then its references and natural keys are
looked up with one query per kind, and it is written with one executemany plus one for
its audit events. When any problem was found the transaction is rolled back: the
database is exactly as before, and every problem is reported.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DataError, IntegrityError

from kpotui import config
from kpotui.interchange.problems import InputError, Location, Problems, Row
from kpotui.interchange.sources import Source
from kpotui.services import bulk
from kpotui.services.fields import KINDS, FieldType, KindSpec
from kpotui.services.records import key_text
from kpotui.services.validation import ValueCache, clean_collect, record_errors
from kpotui.store import Store

CHUNK_ROWS = 5000
ANALYZE_AFTER_ROWS = 10_000
"""Refresh SQLite's planner statistics after writing more rows than this."""
DEFER_INDEXES_AFTER_ROWS = 20_000
"""Once this many records of a kind are added (and at least half as many as its table
held), its secondary indexes are dropped and built again after its last row: sorting
all values once costs less than inserting each in turn (SQLite only)."""
ON_CONFLICT = ("error", "skip", "update")

Progress = Callable[[str, int], None]
"""Called after each chunk with the kind being read and the rows read so far."""


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
class ImportSummary:
    dry_run: bool
    counts: dict[str, KindCounts] = field(default_factory=dict)
    """Per kind name, in dependency order; kinds the input did not hold are absent."""

    @property
    def written(self) -> int:
        return sum(c.written for c in self.counts.values())


class _DryRun(Exception):
    """Unwinds a successful dry run so that its transaction rolls back."""


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass
class _Valid:
    row: Row
    values: dict[str, Any]
    """Clean values of the fields the row gives."""
    ref_ids: dict[str, int] = field(default_factory=dict)
    key: tuple[Any, ...] = ()


class _Import:
    """The state of one import while it runs inside its transaction."""

    def __init__(self, conn: Connection, policy: str, problems: Problems) -> None:
        self.conn, self.policy, self.problems = conn, policy, problems
        self.batch = uuid.uuid4().hex
        self.currency = str(config.get("currency")).upper()
        self.failed: dict[str, set[str]] = {name: set() for name in KINDS}
        """Keys of rows that failed, per kind: references to them are not reported again."""
        self.ids: dict[str, dict[str, int]] = {name: {} for name in KINDS}
        """Natural key -> id of the records referenced so far, per kind."""

    def run_kind(self, spec: KindSpec, chunks: Iterable[list[Row]], counts: KindCounts) -> int:
        """Import every chunk of one kind; returns the rows read."""
        watermark = bulk.max_id(self.conn, spec)  # records above it were added by this import
        seen: set[tuple[Any, ...]] = set()  # keys so far: one given twice is always an error
        defaults = {f.name: [] if f.type is FieldType.LIST else f.default for f in spec.fields}
        cache = ValueCache()
        read = 0
        dropped: list[str] | None = None  # statements creating the indexes dropped meanwhile
        for chunk in chunks:
            valid = self._referenced(spec, self._cleaned(spec, chunk, cache))
            self._write(spec, valid, watermark, seen, defaults, counts)
            read += len(chunk)
            if dropped is None and counts.added >= max(DEFER_INDEXES_AFTER_ROWS, watermark // 2):
                dropped = bulk.drop_secondary_indexes(self.conn, spec)
        bulk.create_indexes(self.conn, dropped or [])
        return read

    def _ids(self, kind: str, rows: list[_Valid], field_name: str) -> dict[str, int]:
        """Natural key -> id of the ``kind`` records that ``rows`` name in ``field_name``:
        looked up once per import (a record's key and id do not change while it runs)."""
        known = self.ids[kind]
        wanted = {r.values[field_name] for r in rows if field_name in r.values}
        known.update(bulk.ids_by_key(self.conn, KINDS[kind], wanted - known.keys()))
        return known

    def _fail(self, spec: KindSpec, row: Row, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            self.problems.add(row.at, message, name)
        key = row.raw.get(spec.key[0])
        if isinstance(key, str):
            self.failed[spec.name].add(key.strip())

    def _cleaned(self, spec: KindSpec, chunk: list[Row], cache: ValueCache) -> list[_Valid]:
        valid = []
        for row in chunk:
            values, errors = clean_collect(spec, row.raw, partial=True, cache=cache)
            missing = {n: "required" for n in spec.key if n not in values and n not in errors}
            if errors or missing:
                self._fail(spec, row, errors | missing)
            else:
                valid.append(_Valid(row, values))
        return valid

    def _referenced(self, spec: KindSpec, rows: list[_Valid]) -> list[_Valid]:
        """Resolve every reference of the chunk (one query per referenced kind)."""
        refs = spec.refs
        found = {f.name: self._ids(f.ref or "", rows, f.name) for f in refs}
        resolved = []
        for item in rows:
            errors: dict[str, str] = {}
            blocked = False  # by a referenced row that failed: its problem is reported already
            for f in refs:
                name = item.values.get(f.name)
                if name is None:
                    continue
                if name in found[f.name]:
                    item.ref_ids[f.name] = found[f.name][name]
                elif name in self.failed[f.ref or ""]:
                    blocked = True
                else:
                    errors[f.name] = f"no {f.ref} named {name!r}"
            if errors or blocked:
                self._fail(spec, item.row, errors)
                continue
            item.key = tuple(
                item.ref_ids[n] if n in item.ref_ids else item.values[n] for n in spec.key
            )
            resolved.append(item)
        return resolved

    def _write(
        self,
        spec: KindSpec,
        rows: list[_Valid],
        watermark: int,
        seen: set[tuple[Any, ...]],
        defaults: dict[str, Any],
        counts: KindCounts,
    ) -> None:
        existing = bulk.existing_ids(self.conn, spec, [item.key for item in rows], up_to=watermark)
        last = spec.key[-1]
        new: list[tuple[dict[str, Any], dict[str, int]]] = []
        to_update: list[tuple[_Valid, int]] = []
        for item in rows:
            record_id = existing.get(item.key)
            if item.key in seen:
                name = key_text(spec, item.values)
                self._fail(
                    spec, item.row, {last: f"{name!r} is given more than once in this import"}
                )
                continue
            seen.add(item.key)
            if record_id is None:
                record = defaults | item.values
                if spec.name == "contract" and record["currency"] is None:
                    record["currency"] = self.currency
                errors = record_errors(spec, record)
                if errors:
                    self._fail(spec, item.row, errors)
                else:
                    new.append((record, item.ref_ids))
            elif self.policy == "error":
                name = key_text(spec, item.values)
                message = f"a {spec.name} {name!r} already exists (see --on-conflict)"
                self._fail(spec, item.row, {last: message})
            else:
                if self.policy == "skip":
                    counts.skipped += 1
                else:
                    to_update.append((item, record_id))
        changes = self._changes(spec, to_update, counts)
        # Written even when other rows failed (the transaction is rolled back then): later
        # rows that reference these must find them, or they would report false problems.
        bulk.insert_records(self.conn, spec, new, batch=self.batch)
        bulk.update_records(self.conn, spec, changes, batch=self.batch)
        counts.added += len(new)
        counts.updated += len(changes)

    def _changes(
        self, spec: KindSpec, to_update: list[tuple[_Valid, int]], counts: KindCounts
    ) -> list[tuple[dict[str, Any], dict[str, Any], dict[str, int]]]:
        """(current record, changed values, their reference ids) of the rows that change."""
        current = bulk.records_by_id(self.conn, spec, [record_id for _, record_id in to_update])
        changes = []
        for item, record_id in to_update:
            before = current[record_id]
            changed = {n: v for n, v in item.values.items() if before[n] != v}
            errors = record_errors(spec, before | changed)
            if errors:
                self._fail(spec, item.row, errors)
            elif changed:
                ref_ids = {n: i for n, i in item.ref_ids.items() if n in changed}
                changes.append((before, changed, ref_ids))
            else:
                counts.unchanged += 1
        return changes


def import_sources(
    store: Store,
    sources: list[Source],
    *,
    on_conflict: str = "error",
    dry_run: bool = False,
    problems: Problems | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import every source in one transaction; raises :class:`InputError` listing every
    problem (``problems`` may hold some already, e.g. files that could not be opened)."""
    if on_conflict not in ON_CONFLICT:
        raise ValueError(f"on_conflict must be one of {ON_CONFLICT}")
    problems = problems if problems is not None else Problems()
    summary = ImportSummary(dry_run=dry_run)
    read = 0
    try:
        with store.write() as conn, bulk.large_page_cache(conn):
            run = _Import(conn, on_conflict, problems)
            for spec in KINDS.values():
                holding = [source for source in sources if spec.name in source.kinds]
                if not holding:
                    continue
                counts = summary.counts.setdefault(spec.name, KindCounts())
                rows = chain.from_iterable(source.rows(spec, problems) for source in holding)
                chunks = _chunks(rows, CHUNK_ROWS)
                if progress is not None:
                    chunks = _reporting(chunks, progress, spec.plural, read)
                read += run.run_kind(spec, chunks, counts)
            if problems:
                raise InputError(problems)
            if summary.written > ANALYZE_AFTER_ROWS:
                bulk.analyze(conn)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except IntegrityError as exc:  # a concurrent writer took a key between check and insert
        problems.add(Location(store.display_name), f"conflicting concurrent change: {exc.orig}")
        raise InputError(problems) from exc
    except DataError as exc:  # a value valid for kpotui but not for this database's column
        message = str(exc.orig).splitlines()[0]
        problems.add(Location(store.display_name), f"the database refused a value: {message}")
        raise InputError(problems) from exc
    return summary


def _reporting(
    chunks: Iterable[list[Row]], progress: Progress, label: str, before: int
) -> Iterator[list[Row]]:
    done = before
    for chunk in chunks:
        yield chunk
        done += len(chunk)
        progress(label, done)
