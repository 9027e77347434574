"""Point 5: ``kpotui backup`` while four processes keep writing: every backup is whole and
consistent, and no writer notices."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kpotui.store import open_store
from tests.shared import workers
from tests.shared.processes import adopt_environment, context, kpotui_environment

pytestmark = pytest.mark.xdist_group("many-processes")
"""Under xdist these tests, each running many processes at once, share one worker:
two at a time on a small machine time out on SQLite's lock."""

WRITERS = 4
BACKUPS = 5


def _keep_writing(env: dict[str, str], *args: Any) -> None:
    adopt_environment(env)
    *arguments, results = args
    results.put(workers.keep_writing(*arguments))


def kpotui(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from kpotui.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def check_backup(path: Path) -> int:
    """Assert the copy is whole and is one moment of the database; its number of tasks."""
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        tasks = conn.execute("SELECT count(*) FROM task").fetchone()[0]
        notes = conn.execute("SELECT count(*) FROM note").fetchone()[0]
        created, updated = conn.execute(
            "SELECT sum(action = 'create'), sum(action = 'update') FROM audit_event"
            " WHERE kind = 'task'"
        ).fetchone()
        updated_tasks = conn.execute(
            "SELECT count(*) FROM task WHERE hours_per_month IS NOT NULL"
        ).fetchone()[0]
    # each write is one transaction with its audit event: a torn copy breaks these
    assert created == tasks
    assert updated == updated_tasks
    assert tasks - WRITERS <= notes <= tasks  # a writer's note follows its task
    return int(tasks)


def test_backups_taken_under_load_are_whole_and_no_writer_fails(tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    open_store(str(db)).close()
    ctx = context()
    stop, results = ctx.Event(), ctx.Queue()
    writers = [
        ctx.Process(
            target=_keep_writing,
            args=(kpotui_environment(), str(db), f"Writer {n}", stop, results),
        )
        for n in range(WRITERS)
    ]
    for writer in writers:
        writer.start()
    try:
        sizes = []
        for n in range(BACKUPS):
            dest = tmp_path / f"copy-{n}.db"
            done = kpotui("--db", str(db), "backup", str(dest))
            assert done.returncode == 0, done.stderr
            assert done.stdout.strip() == f"backup written: {dest}"
            assert dest.stat().st_mode & 0o777 == 0o600
            sizes.append(check_backup(dest))
    finally:
        stop.set()
        outcomes = [results.get(timeout=120) for _ in writers]
        for writer in writers:
            writer.join(60)

    assert [failure for o in outcomes for failure in o["failures"]] == []
    assert all(o["written"] > 0 for o in outcomes)
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0], sizes
