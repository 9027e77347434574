"""Point 1: many processes writing one database lose nothing and never fail spuriously.

Without the store's protections, 16 processes doing read-modify-write updates of one row
lost most of them silently, or failed with "database is locked". Each protection is
needed by a test here: ``BEGIN IMMEDIATE`` and the busy timeout by the sixteen writers,
WAL by the long reader, the check-in guard by the failed commit.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from kpotui.services import history, records, writes
from kpotui.store import open_store
from tests.shared import workers
from tests.shared.processes import context, kpotui_environment, run_in_processes

pytestmark = pytest.mark.xdist_group("many-processes")
"""Under xdist these tests, each running many processes at once, share one worker:
two at a time on a small machine time out on SQLite's lock."""

PROCESSES = 16
INCREMENTS = 100


def _new_task(url: str) -> int:
    store = open_store(url)
    try:
        task = writes.create(
            store,
            "task",
            {"name": "Counter", "classification": "core", "sourcing": "in-house"}
            | {"hours_per_month": 0},
        )
        return int(task["id"])
    finally:
        store.close()


def _final_hours_and_updates(url: str, task_id: int) -> tuple[float, int]:
    store = open_store(url)
    try:
        events = history.record_history(store, "task", task_id)
        return records.get(store, "task", task_id)["hours_per_month"], sum(
            1 for event in events if event["action"] == "update"
        )
    finally:
        store.close()


def test_sixteen_processes_lose_no_increment(db_url: str) -> None:
    """On PostgreSQL, 25 increments each: readers never queue there, so every save costs
    about ten version conflicts under this contention, and 100 each takes minutes."""
    increments = INCREMENTS if "://" not in db_url else 25
    task_id = _new_task(db_url)
    results = run_in_processes(
        workers.increment, [(db_url, task_id, increments, 30_000)] * PROCESSES
    )

    failures = [message for result in results for message in result["failures"]]
    assert failures == [], f"{len(failures)} increments failed, e.g. {failures[:3]}"
    assert sum(result["successes"] for result in results) == PROCESSES * increments
    final, updates = _final_hours_and_updates(db_url, task_id)
    assert final == PROCESSES * increments
    assert updates == PROCESSES * increments


def test_with_a_tiny_busy_timeout_every_reported_success_is_real(tmp_path: Path) -> None:
    url = str(tmp_path / "busy.db")
    task_id = _new_task(url)
    results = run_in_processes(workers.increment, [(url, task_id, INCREMENTS, 1)] * PROCESSES)

    failures = [message for result in results for message in result["failures"]]
    assert set(failures) <= {"the database is busy; nothing was changed"}
    successes = sum(result["successes"] for result in results)
    final, updates = _final_hours_and_updates(url, task_id)
    assert final == successes
    assert updates == successes
    assert successes + len(failures) == PROCESSES * INCREMENTS


def test_a_long_reader_neither_blocks_a_writer_nor_sees_half_of_it(tmp_path: Path) -> None:
    """WAL: a reader holding a snapshot (an export, an open screen) does not make a writer
    wait or fail, and keeps seeing the data as it was when its transaction began."""
    url = str(tmp_path / "wal.db")
    task_id = _new_task(url)
    ctx = context()
    ready, release, results = ctx.Event(), ctx.Event(), ctx.Queue()
    reader = ctx.Process(
        target=_hold_snapshot,
        args=(kpotui_environment(), url, task_id, ready, release, results),
    )
    reader.start()
    try:
        assert ready.wait(60), "the reader did not start"
        writer = open_store(url, busy_timeout_ms=500)
        try:
            task = records.get(writer, "task", task_id)
            writes.update(writer, "task", task_id, {"hours_per_month": 7}, version=task["version"])
        finally:
            release.set()
            writer.close()
        assert results.get(timeout=60) == (0, 0)
    finally:
        reader.join(60)
    assert _final_hours_and_updates(url, task_id) == (7, 1)


def _hold_snapshot(env: dict[str, str], *args: Any) -> None:
    from tests.shared.processes import adopt_environment

    adopt_environment(env)
    *arguments, results = args
    results.put(workers.hold_snapshot(*arguments))


def test_a_failed_commit_is_never_committed_by_the_next_user_of_the_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pool check-in guard. SQLite keeps a transaction open when COMMIT fails (e.g.
    "database is locked"); if the connection goes back to the pool like that, the next
    user of it commits the failed work. Simulated here: COMMIT fails, and the rollback
    after it does not reach the driver, so only the guard can end that transaction."""
    store = open_store(str(tmp_path / "guard.db"))
    dialect = store.engine.dialect

    def failing_commit(dbapi_connection: sqlite3.Connection) -> None:
        raise sqlite3.OperationalError("database is locked")

    def lost_rollback(dbapi_connection: sqlite3.Connection) -> None:
        pass

    monkeypatch.setattr(dialect, "do_commit", failing_commit)
    monkeypatch.setattr(dialect, "do_rollback", lost_rollback)
    with pytest.raises(Exception, match="database is locked"), store.write() as conn:
        conn.execute(
            text(
                "INSERT INTO provider (name, services, certifications, version, created_at,"
                " updated_at) VALUES ('Ghost', '[]', '[]', 1, '2025-01-01', '2025-01-01')"
            )
        )
    monkeypatch.undo()

    writes.create(store, "provider", {"name": "Next user"})
    store.close()
    with sqlite3.connect(tmp_path / "guard.db") as check:
        names = [row[0] for row in check.execute("SELECT name FROM provider ORDER BY name")]
    assert names == ["Next user"]
