"""A database built once and kept on disk across test runs and xdist workers.

The large firm takes half a minute to import, so it is built once and kept, named by a
digest of everything it is made from: the generator's source (and the sample firm's, which
it grows), the sample data, and the migrations with their head revision. Change any of them
and the next run builds a new one. One process builds while the others wait on a lock; the
build goes to a temporary file renamed into place, so no process ever opens half a database.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from kpotui.store.migrate import HEAD_REVISION, MIGRATIONS_DIR


def digest(sources: Iterable[Path]) -> str:
    """A short digest of the schema revision, the migrations and ``sources``."""
    migrations = sorted((MIGRATIONS_DIR / "versions").glob("*.py"))
    hashed = hashlib.sha256(HEAD_REVISION.encode())
    for path in [*sources, *migrations]:
        hashed.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return hashed.hexdigest()[:16]


def cached_database(
    directory: Path, name: str, sources: Iterable[Path], build: Callable[[Path], None]
) -> Path:
    """The database ``build`` writes at the path it is given, built only if no database
    made from the same ``sources`` is in ``directory`` yet (older ones are removed)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}-{HEAD_REVISION}-{digest(sources)}.db"
    with (directory / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if path.exists():
            return path
        with tempfile.TemporaryDirectory(dir=directory, prefix=f".{name}-") as scratch:
            built = Path(scratch) / "firm.db"
            build(built)
            built.chmod(0o444)  # tests copy it; none may write to it
            os.replace(built, path)
        for old in directory.glob(f"{name}-*.db"):
            if old != path:
                old.unlink()
        return path
