"""Consistent copies of a SQLite database, taken while others keep using it."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from kpotui.files import atomic_path
from kpotui.store.engine import Store, StoreError, connect_read_only
from kpotui.store.permissions import file_mode, secure_new_file


def default_backup_path(db_path: Path, label: str = "backup") -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return db_path.with_name(f"{db_path.stem}.{label}-{stamp}{db_path.suffix or '.db'}")


def destination(db_path: Path, dest: str | Path | None, label: str = "backup") -> Path:
    """Where a backup of ``db_path`` goes: ``dest``, or a dated file inside it when it is a
    directory (or ends with a slash); by default a dated file next to the database.

    No directory is created: a mistyped one is refused rather than made silently."""
    dated = default_backup_path(db_path, label)
    if dest is None:
        return dated
    target = Path(dest).expanduser()
    if str(dest).endswith(("/", os.sep)) or target.is_dir():
        if not target.is_dir():
            raise StoreError(f"directory {target} does not exist")
        return target / dated.name
    if not target.parent.is_dir():
        raise StoreError(f"directory {target.parent} does not exist")
    return target


def backup(store: Store, dest: str | Path | None = None, *, label: str = "backup") -> Path:
    """Copy the database with SQLite's online backup API into ``dest`` (mode 0600, or 0660
    and the shared group when the config names one).

    The copy is one consistent snapshot even while other processes write: the whole
    database is copied in a single step under one read transaction. It is written beside
    ``dest`` and renamed into place, so ``dest`` never holds half a copy.
    """
    if store.path is None:
        raise StoreError(
            f"{store.display_name}: backups of server databases are made with the server's "
            "own tools (for PostgreSQL: pg_dump)"
        )
    target = destination(store.path, dest, label)
    if target.exists():
        raise StoreError(f"{target}: already exists; choose another destination")
    # secure_new_file again before the rename: SQLite may have rewritten the file
    with atomic_path(target, mode=file_mode(), prepare=secure_new_file) as building:
        secure_new_file(building)
        source = connect_read_only(store.path) if store.read_only else sqlite3.connect(store.path)
        try:
            copy = sqlite3.connect(building)
            try:
                source.backup(copy)
            finally:
                copy.close()
        finally:
            source.close()
    return target
