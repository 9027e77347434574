"""Opening the files of an import: telling their encoding and kind, refusing absurd sizes.

Every file is read through a byte counter, so a file that is larger than its limit (or a
device that never ends) is refused with a message instead of filling memory or the disk.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from kpotui.interchange import csv_codec, document
from kpotui.interchange.problems import Location, Problems, Row
from kpotui.services.fields import KINDS, KindSpec, kind_spec

MAX_DOCUMENT_BYTES = 64 * 2**20
"""TOML and JSON are parsed whole: above this, use CSV (read as a stream)."""
MAX_CSV_BYTES = 4 * 2**30
ENCODINGS = ("toml", "json", "csv")
STDIN_NAME = "<stdin>"


class Source(Protocol):
    """One input of an import: which kinds it holds, and their rows."""

    file: str

    @property
    def kinds(self) -> set[str]: ...

    def rows(self, spec: KindSpec, problems: Problems) -> Iterator[Row]: ...


class TooLarge(Exception):
    pass


class _Capped(io.RawIOBase):
    """A binary stream that raises :class:`TooLarge` once more than ``limit`` bytes pass."""

    def __init__(self, raw: BinaryIO, limit: int) -> None:
        self.raw, self.limit, self.seen = raw, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.raw.read(len(buffer))
        self.seen += len(data)
        if self.seen > self.limit:
            raise TooLarge
        buffer[: len(data)] = data
        return len(data)


def _size_text(size: int) -> str:
    return f"{size / 2**30:.0f} GiB" if size >= 2**30 else f"{size / 2**20:.0f} MiB"


@dataclass
class CsvSource:
    file: str
    spec: KindSpec
    stream: BinaryIO

    @property
    def kinds(self) -> set[str]:
        return {self.spec.name}

    def rows(self, spec: KindSpec, problems: Problems) -> Iterator[Row]:
        if spec is not self.spec:
            return
        capped = io.BufferedReader(_Capped(self.stream, MAX_CSV_BYTES), 1 << 16)
        text = io.TextIOWrapper(capped, encoding="utf-8-sig", errors="surrogateescape", newline="")
        try:
            yield from csv_codec.read_csv(text, spec, self.file, problems)
        except TooLarge:
            problems.add(Location(self.file), f"larger than {_size_text(MAX_CSV_BYTES)}")


def _encoding_of(path: str, given: str | None) -> str | None:
    if given:
        return given
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in ENCODINGS else None


def _csv_kind(path: str, given: str | None) -> KindSpec | None:
    try:
        return kind_spec(given or Path(path).stem.lower())
    except KeyError:
        return None


def open_sources(
    paths: list[str],
    *,
    kind: str | None,
    encoding: str | None,
    stdin: BinaryIO,
    problems: Problems,
) -> list[Source]:
    """Open (CSV) or parse (TOML, JSON) every input; what cannot be used becomes a problem.

    ``-`` is standard input: CSV with ``kind``, or TOML/JSON with ``encoding``. The
    caller closes the CSV streams (see :func:`close_all`).
    """
    sources: list[Source] = []
    for path in paths:
        name = STDIN_NAME if path == "-" else path
        at = Location(name)
        try:
            stream = stdin if path == "-" else open(path, "rb")  # noqa: SIM115 (closed by caller)
        except OSError as exc:
            problems.add(at, (exc.strerror or str(exc)).lower())
            continue
        source = _source(path, name, stream, kind=kind, encoding=encoding, problems=problems)
        if source is not None:
            sources.append(source)
        if path != "-" and not isinstance(source, CsvSource):
            stream.close()
    return sources


def _source(
    path: str,
    name: str,
    stream: BinaryIO,
    *,
    kind: str | None,
    encoding: str | None,
    problems: Problems,
) -> Source | None:
    """The source for one opened input; None (with a problem) when it cannot be used.

    A CSV source keeps ``stream`` open; a document is read and parsed now."""
    at = Location(name)
    chosen = _encoding_of(path, encoding or ("csv" if path == "-" and kind else None))
    if chosen is None:
        problems.add(at, "cannot tell the format: name it .toml, .json or .csv, or use --format")
        return None
    spec = _csv_kind(path, kind) if chosen == "csv" else None
    if chosen == "csv" and spec is None and kind:
        known = ", ".join(s.plural for s in KINDS.values())
        problems.add(at, f"--kind: unknown kind {kind!r} (known: {known})")
        return None
    if chosen == "csv" and spec is None:
        kinds = ", ".join(f"{s.plural}.csv" for s in KINDS.values())
        problems.add(at, f"cannot tell the kind from the file name ({kinds}); use --kind")
        return None
    if chosen != "csv" and kind:
        problems.add(at, "--kind applies to CSV files only (a document names its kinds)")
        return None
    limit = MAX_CSV_BYTES if chosen == "csv" else MAX_DOCUMENT_BYTES
    size = os.fstat(stream.fileno()).st_size if path != "-" else 0
    if size > limit:
        problems.add(at, f"{_size_text(size)}: larger than the {_size_text(limit)} limit")
        return None
    if spec is not None:
        return CsvSource(name, spec, stream)
    try:
        data = stream.read(limit + 1)
    except OSError as exc:
        problems.add(at, (exc.strerror or str(exc)).lower())
        return None
    if len(data) > limit:
        problems.add(at, f"larger than the {_size_text(limit)} limit (use CSV for more)")
        return None
    return document.parse(data, chosen, name, problems)


def close_all(sources: list[Source]) -> None:
    for source in sources:
        if isinstance(source, CsvSource) and source.file != STDIN_NAME:
            source.stream.close()
