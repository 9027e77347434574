"""Point 2: two people edit the same record at once, in two processes; the second save is
refused, the first's data survives, and nothing is ever overwritten silently."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner

from kpotui.cli import main
from kpotui.services import audit, history, records, writes
from kpotui.store import open_store
from tests.shared import workers
from tests.shared.processes import adopt_environment, context, kpotui_environment

TRIALS = 40


def _save_in_step(env: dict[str, str], *args: Any) -> None:
    adopt_environment(env)
    *arguments, results = args
    results.put((arguments[1], workers.save_in_step(*arguments)))


def test_of_two_simultaneous_saves_one_is_refused_and_none_is_lost(db_url: str) -> None:
    store = open_store(db_url)
    task_ids = [
        writes.create(
            store, "task", {"name": f"Task {n}", "classification": "core", "sourcing": "hybrid"}
        )["id"]
        for n in range(TRIALS)
    ]

    ctx = context()
    both_read, results = ctx.Barrier(2), ctx.Queue()
    people = [
        ctx.Process(
            target=_save_in_step,
            args=(kpotui_environment(), db_url, name, task_ids, both_read, results),
        )
        for name in ("ann", "bob")
    ]
    for person in people:
        person.start()
    outcomes = dict(results.get(timeout=120) for _ in people)
    for person in people:
        person.join(60)

    silent_overwrites = 0
    for n, task_id in enumerate(task_ids):
        saved = [name for name in ("ann", "bob") if outcomes[name][n] == "saved"]
        owner = records.get(store, "task", task_id)["owner"]
        updates = [
            e for e in history.record_history(store, "task", task_id) if e["action"] == "update"
        ]
        if len(saved) == 2:
            silent_overwrites += 1
            continue
        assert len(saved) == 1, f"trial {n}: {outcomes['ann'][n]} / {outcomes['bob'][n]}"
        assert owner == saved[0]
        assert [e["changes"]["owner"] for e in updates] == [[None, saved[0]]]
    store.close()
    assert silent_overwrites == 0, f"{silent_overwrites} of {TRIALS} saves overwrote silently"


def test_the_command_line_reports_a_conflict_with_status_1(tmp_path: Any, monkeypatch: Any) -> None:
    """``kpotui undo`` of a record someone else has changed since: one line, status 1,
    their data untouched."""
    db = str(tmp_path / "x.db")
    store = open_store(db)
    task = writes.create(
        store, "task", {"name": "Model upkeep", "classification": "core", "sourcing": "hybrid"}
    )
    mine = writes.update(store, "task", task["id"], {"owner": "ann"}, version=1)
    real_actor = audit.current_actor
    monkeypatch.setattr(audit, "current_actor", lambda: "bob")
    theirs = writes.update(store, "task", task["id"], {"owner": "bob"}, version=mine["version"])
    monkeypatch.setattr(audit, "current_actor", real_actor)

    result = CliRunner().invoke(main, ["--db", db, "undo", "--yes"])
    assert result.exit_code == 1
    assert result.output.startswith("kpotui: cannot undo: bob changed task 'Model upkeep' since")
    assert result.output.count("\n") == 1
    assert records.get(store, "task", task["id"]) == theirs
    store.close()
