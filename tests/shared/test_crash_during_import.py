"""Point 3: an import killed (SIGKILL) at a random moment leaves the database exactly as it
was before, and whole.

Each trial copies a populated database, starts ``kpotui import`` of a large CSV file on
it in a new process, kills that process at a random moment of the time a whole import
takes, and compares every row of every table with the original content. The processes
are forked from a server that has kpotui imported already, so a trial's time is the
import's own, not Python's start-up.
"""

from __future__ import annotations

import csv
import random
import shutil
import time
from pathlib import Path

import pytest

from kpotui.store import open_store
from tests.services import factories
from tests.shared.dbfiles import content
from tests.shared.processes import context, kpotui_environment, run_cli

pytestmark = pytest.mark.xdist_group("many-processes")
"""Under xdist these tests, each running many processes at once, share one worker:
two at a time on a small machine time out on SQLite's lock."""

ROWS = 10_000  # two of the importer's chunks
KILLS = 20


def write_large_csv(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["name", "classification", "sourcing", "contract", "owner", "notes"])
        for n in range(ROWS):
            sourcing, contract = ("outsourced", "ENG-1") if n % 3 else ("in-house", "")
            classification = "core" if n % 2 else "non-core"
            notes = "Keeps the models current. " * 4
            out.writerow(
                [f"Activity {n:05d}", classification, sourcing, contract, f"Owner {n % 40}", notes]
            )


def test_an_import_killed_at_random_moments_changes_nothing(tmp_path: Path) -> None:
    base = tmp_path / "base.db"
    store = open_store(str(base))
    factories.provider(store)
    factories.contract(store)
    factories.task(store, "Existing activity")
    store.close()
    before, integrity, tasks_before = content(base)
    assert integrity == ["ok"]
    big = tmp_path / "tasks.csv"
    write_large_csv(big)
    ctx, env = context(), kpotui_environment()

    def run_import(db: Path, kill_after: float | None = None) -> float | None:
        """Import the large file into a fresh copy; SIGKILL it ``kill_after`` seconds after
        it started. Returns the seconds it took when it finished first, else None."""
        shutil.copyfile(base, db)
        process = ctx.Process(target=run_cli, args=(env, ["--db", str(db), "import", str(big)]))
        started = time.monotonic()
        process.start()
        process.join(kill_after)
        if process.exitcode is None:
            process.kill()
            process.join(60)
            return None
        assert process.exitcode == 0
        return time.monotonic() - started

    duration = run_import(tmp_path / "whole.db")
    assert duration is not None
    assert content(tmp_path / "whole.db")[2] == tasks_before + ROWS

    rng = random.Random(20250630)
    kills: list[float] = []
    finished_first = 0
    while len(kills) < KILLS and finished_first < KILLS:
        db = tmp_path / f"trial-{len(kills)}-{finished_first}.db"
        moment = rng.uniform(0.0, duration)
        took = run_import(db, kill_after=moment)
        digest, integrity, tasks = content(db)
        assert integrity == ["ok"], f"killed after {moment:.2f}s: {integrity[:3]}"
        if took is not None or (digest != before and tasks == tasks_before + ROWS):
            finished_first += 1  # it committed before the kill: all of it is there
            duration = min(duration, took or moment)
            continue
        assert digest == before, f"killed after {moment:.2f}s: {tasks - tasks_before} rows"
        kills.append(moment)
        db.unlink()
    print(
        f"import of {ROWS} rows: {duration:.2f}s; {finished_first} finished before their"
        f" kill; killed after {sorted(round(k, 2) for k in kills)}s"
    )
    assert len(kills) == KILLS, f"only {len(kills)} imports were killed before finishing"
    assert max(kills) > duration / 2  # the late moments, when rows are being written, too
