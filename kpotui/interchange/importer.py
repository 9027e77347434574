"""Importing ``kpotui/1`` input: validated in chunks, written in bulk, all or nothing.

All inputs of one import share one write transaction. Kinds are processed in dependency
order (providers before the contracts that name them, and so on), so a reference may
point at a record of the same import, in any file and any row order, or at one already
in the database. Rows are read as a stream and handed a chunk at a time to the write
path (:mod:`kpotui.services.writes`), which applies every rule and reports each problem
with the row's place in its file. When any problem was found the transaction is rolled
back: the database is exactly as before, and every problem is reported.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice

from kpotui.interchange.inputs import Source
from kpotui.interchange.problems import InputError, Location, Problems, Row
from kpotui.services import writes
from kpotui.services.fields import KINDS
from kpotui.services.writes import Item, KindCounts
from kpotui.store import Store

CHUNK_ROWS = 5000
ON_CONFLICT = writes.ON_EXISTING

Progress = Callable[[str, int], None]
"""Called after each chunk with the kind being read and the rows read so far."""


@dataclass
class ImportSummary:
    dry_run: bool
    counts: dict[str, KindCounts] = field(default_factory=dict)
    """Per kind name, in dependency order; kinds the input did not hold are absent."""

    @property
    def written(self) -> int:
        return sum(c.written for c in self.counts.values())


class _AtFileOrStore:
    """The batch's problem sink: a problem with no row of its own is the database's."""

    def __init__(self, problems: Problems, store_name: str) -> None:
        self.problems, self.store_name = problems, store_name

    def add(self, at: Location | None, message: str, field_name: str | None = None) -> None:
        self.problems.add(at or Location(self.store_name), message, field_name)

    def __bool__(self) -> bool:
        return bool(self.problems)


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Item]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield [Item(row.raw, row.at) for row in chunk]


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

    def chunks() -> Iterator[writes.Chunk]:
        read = 0
        for spec in KINDS.values():
            holding = [source for source in sources if spec.name in source.kinds]
            if not holding:
                continue
            rows = chain.from_iterable(source.rows(spec, problems) for source in holding)
            for chunk in _chunks(rows, CHUNK_ROWS):
                yield spec, chunk
                read += len(chunk)
                if progress is not None:
                    progress(spec.plural, read)

    try:
        counts = writes.write_all(
            store,
            chunks(),
            _AtFileOrStore(problems, store.display_name),
            label=uuid.uuid4().hex,
            on_existing=on_conflict,
            existing_hint=" (see --on-conflict)",
            dry_run=dry_run,
        )
    except writes.Rejected as exc:
        raise InputError(problems) from exc
    return ImportSummary(dry_run=dry_run, counts=counts)
