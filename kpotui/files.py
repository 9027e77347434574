"""Writing a file so that nobody ever sees half of it: the one way kpotui replaces files.

The new content goes to a temporary file in the target's own directory (so the rename
never crosses filesystems), is flushed to disk, and is renamed over the target. A crash
or an error leaves the old file as it was and no temporary file behind. Used by exports,
the config file and backups; only the standard library, so every layer may use it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

PRIVATE = 0o600


@contextmanager
def atomic_path(
    target: Path, *, mode: int = PRIVATE, prepare: Callable[[Path], None] | None = None
) -> Iterator[Path]:
    """A new empty file beside ``target`` (with ``mode`` from its first byte) for the block
    to fill by name; renamed onto ``target`` when the block ends without an error.

    ``prepare`` runs on the finished file just before the rename (e.g. to set its group).
    """
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    temporary = Path(name)
    try:
        os.fchmod(fd, mode)
        os.close(fd)
        yield temporary
        _fsync(temporary)
        if prepare is not None:
            prepare(temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_directory(target.parent)


@contextmanager
def atomic_text(target: Path, *, mode: int = PRIVATE) -> Iterator[TextIO]:
    """UTF-8 text (newlines as written) for ``target``, put in place by :func:`atomic_path`."""
    with (
        atomic_path(target, mode=mode) as temporary,
        temporary.open("w", encoding="utf-8", newline="") as out,
    ):
        yield out


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (where the platform allows opening a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
