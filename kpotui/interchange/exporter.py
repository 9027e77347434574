"""Exporting the whole database as ``kpotui/1``: canonical, so export -> import -> export
gives the same bytes.

Canonical means: kinds in dependency order, records sorted by natural key, fields in the
order of :mod:`kpotui.services.fields`, one fixed spelling per value. Records are streamed
from one read transaction (a consistent snapshot), never loaded all at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TextIO

from kpotui.files import atomic_text
from kpotui.interchange import csv_codec, document
from kpotui.services.fields import KINDS, KindSpec
from kpotui.services.records import Record, all_records, stored_batches
from kpotui.store import Store


def export_document(
    store: Store, encoding: str, out: TextIO, *, reference_date: date | None = None
) -> None:
    """Write every record as one TOML or JSON document."""
    write = document.write_toml if encoding == "toml" else document.write_json
    with store.read() as conn:

        def kinds() -> Iterator[tuple[KindSpec, Iterator[Record]]]:
            for spec in KINDS.values():
                yield spec, iter(all_records(conn, spec))

        write(out, kinds(), reference_date=reference_date)


def export_csv(store: Store, directory: Path) -> dict[str, Path]:
    """Write one ``<plural>.csv`` per kind into ``directory`` (created if missing).

    Each file is written next to its final name and renamed into place, so a reader
    never sees half a file; like the database, the files are private (mode 0600).
    Returns kind -> file written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    with store.read() as conn:
        for spec in KINDS.values():
            target = directory / f"{spec.plural}.csv"
            with atomic_text(target) as out:
                csv_codec.write_stored_csv(out, spec, stored_batches(conn, spec))
            written[spec.name] = target
    return written
