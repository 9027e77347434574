"""What the worker processes of the shared-server tests do (importable by the forkserver)."""

from __future__ import annotations

import itertools
import random
import time
from multiprocessing.synchronize import Barrier, Event
from typing import Any

from sqlalchemy.exc import OperationalError

from kpotui.services import records, writes
from kpotui.services.errors import BusyError, ConflictError
from kpotui.store import open_store


def backoff(url: str, attempt: int) -> None:
    """On PostgreSQL, wait a random moment before retrying, as a well-behaved script does:
    saves do not queue there, and without it every increment costs a dozen conflicts.
    SQLite queues writers itself (``BEGIN IMMEDIATE`` and the busy timeout)."""
    if "://" in url:
        time.sleep(random.random() * 0.002 * 2 ** min(attempt, 6))


def increment(url: str, task_id: int, times: int, busy_timeout_ms: int) -> dict[str, Any]:
    """Add 1 to a task's hours ``times`` times, each a read then a versioned save.

    A version conflict is retried (someone saved in between: read again). Any other
    failure ends that increment as failed, and is reported with its message.
    """
    store = open_store(url, busy_timeout_ms=busy_timeout_ms)
    successes, conflicts, failures = 0, 0, []
    try:
        for _ in range(times):
            for attempt in itertools.count():
                try:
                    task = records.get(store, "task", task_id)
                    writes.update(
                        store,
                        "task",
                        task_id,
                        {"hours_per_month": task["hours_per_month"] + 1},
                        version=task["version"],
                    )
                    successes += 1
                    break
                except ConflictError:
                    conflicts += 1
                    backoff(url, attempt)
                except BusyError as exc:
                    failures.append(str(exc))
                    break
                except OperationalError as exc:
                    failures.append(str(exc.orig))
                    break
    finally:
        store.close()
    return {"successes": successes, "conflicts": conflicts, "failures": failures}


def hold_snapshot(url: str, task_id: int, ready: Event, release: Event) -> tuple[Any, Any]:
    """Read a task's hours twice inside one read transaction held open meanwhile."""
    store = open_store(url)
    try:
        with store.read() as conn:
            table = records.table_of(records.kind_spec("task"))
            query = table.select().where(table.c.id == task_id)
            first = conn.execute(query).one().hours_per_month
            ready.set()
            release.wait(60)
            second = conn.execute(query).one().hours_per_month
        return first, second
    finally:
        store.close()


def save_in_step(url: str, name: str, task_ids: list[int], both_read: Barrier) -> list[str]:
    """For each task: read it, wait until the other person has read it too, then save
    this person's title with the version read. Returns "saved" or "refused" per task."""
    store = open_store(url)
    outcomes = []
    try:
        for task_id in task_ids:
            task = records.get(store, "task", task_id)
            both_read.wait(60)
            try:
                writes.update(store, "task", task_id, {"owner": name}, version=task["version"])
                outcomes.append("saved")
            except ConflictError:
                outcomes.append("refused")
    finally:
        store.close()
    return outcomes


def keep_writing(url: str, name: str, stop: Event) -> dict[str, Any]:
    """Until ``stop``: create a task, a note referencing it, then update the task."""
    store = open_store(url)
    written, failures = 0, []
    try:
        while not stop.is_set():
            title = f"{name} {written}"
            try:
                task = writes.create(
                    store,
                    "task",
                    {"name": title, "classification": "non-core", "sourcing": "outsourced"},
                )
                writes.create(store, "note", {"title": title, "body": "How to.", "task": title})
                writes.update(
                    store, "task", task["id"], {"hours_per_month": 8}, version=task["version"]
                )
                written += 1
            except Exception as exc:  # every failure is reported: none may happen
                failures.append(repr(exc))
    finally:
        store.close()
    return {"written": written, "failures": failures}
