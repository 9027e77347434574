"""Looking at a SQLite database file from outside kpotui, to tell whether it changed."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path


def content(path: Path) -> tuple[str, list[str], int]:
    """A digest of every row of every table, the integrity check's answer, and the
    number of activities (tasks)."""
    digest = hashlib.sha256()
    with closing(sqlite3.connect(path)) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE"
                " 'sqlite_%' ORDER BY name"
            )
        ]
        for table in tables:
            digest.update(table.encode())
            for row in sorted(repr(row) for row in conn.execute(f'SELECT * FROM "{table}"')):
                digest.update(row.encode())
        integrity = [line for (line,) in conn.execute("PRAGMA integrity_check")]
        (tasks,) = conn.execute("SELECT count(*) FROM task").fetchone()
    return digest.hexdigest(), integrity, tasks
