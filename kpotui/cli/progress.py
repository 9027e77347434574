"""Progress of long imports and exports, drawn with rich on stderr.

Shown only in an interactive terminal (stdout and stderr both terminals, no ``--quiet``)
and only once the work has taken a second, so scripts and quick runs see nothing.
Imported by the commands when they run: rich.progress stays off ``kpotui --help``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.progress import Progress

SHOW_AFTER_SECONDS = 1.0
UPDATE_SECONDS = 0.1
"""An export writes record by record: its count is passed to rich at most this often."""


def interactive(quiet: bool) -> bool:
    return not quiet and sys.stdout.isatty() and sys.stderr.isatty()


def _progress(*, sized: bool, unit: str) -> Progress:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}")]
    if sized:
        columns += [BarColumn(), TaskProgressColumn(), DownloadColumn(), TimeRemainingColumn()]
    else:
        columns += [TimeElapsedColumn()]
    columns.append(TextColumn(f"{{task.fields[count]:,}} {unit}"))
    return Progress(
        *columns,
        console=Console(file=sys.stderr),
        transient=True,
        redirect_stdout=False,  # stdout may be the export itself
        redirect_stderr=False,
    )


class ImportProgress:
    """The importer's ``Progress`` callback ``(kind label, rows read so far)``: rows, and a
    bar sized by the bytes of the CSV files read so far when they are regular files
    (TOML and JSON documents are parsed before the import starts)."""

    def __init__(self, streams: Sequence[IO[bytes]], *, enabled: bool) -> None:
        self.streams = [stream for stream in streams if stream.seekable()]
        self.total = sum(os.fstat(stream.fileno()).st_size for stream in self.streams)
        self.enabled = enabled
        self.started = time.monotonic()
        self.progress: Progress | None = None

    def __call__(self, label: str, rows: int) -> None:
        if not self.enabled:
            return
        if self.progress is None:
            if time.monotonic() - self.started < SHOW_AFTER_SECONDS:
                return
            self.progress = _progress(sized=self.total > 0, unit="rows")
            self.progress.add_task("", total=self.total or None, count=0)
            self.progress.start()
        task = self.progress.task_ids[0]
        done = sum(stream.tell() for stream in self.streams) if self.total else None
        self.progress.update(task, description=f"importing {label}", completed=done, count=rows)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


class CountingWriter:
    """A text stream that passes writes on and shows how much has been written."""

    def __init__(self, out: IO[str], *, enabled: bool, label: str) -> None:
        self.out, self.enabled, self.label = out, enabled, label
        self.written = 0
        self.started = self.next_update = time.monotonic()
        self.progress: Progress | None = None

    def write(self, text: str) -> int:
        self.written += len(text)
        if self.enabled and time.monotonic() >= self.next_update:
            self._show()
            self.next_update = time.monotonic() + UPDATE_SECONDS
        return self.out.write(text)

    def _show(self) -> None:
        if self.progress is None:
            if time.monotonic() - self.started < SHOW_AFTER_SECONDS:
                return
            self.progress = _progress(sized=False, unit="characters written")
            self.progress.add_task(self.label, total=None, count=0)
            self.progress.start()
        self.progress.update(self.progress.task_ids[0], count=self.written)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


class Spinner:
    """A spinner with the time taken, for work that reports no progress of its own."""

    def __init__(self, label: str, *, enabled: bool) -> None:
        self.progress = _progress(sized=False, unit="files") if enabled else None
        if self.progress is not None:
            self.progress.add_task(label, total=None, count=0)
            self.progress.start()

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
