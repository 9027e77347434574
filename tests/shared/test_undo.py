"""Point 8: undo your own last change from the audit trail, as a new audited change, and
never over somebody else's later work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kpotui.cli import main
from kpotui.services import audit, history, records, undo, writes
from kpotui.services.errors import UndoError
from kpotui.services.fields import kind_spec
from kpotui.store import Store
from tests.services import factories


def public(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in ("version", "created_at", "updated_at")}


def audit_count(store: Store) -> int:
    return len(audit.recent(store, limit=10_000))


def test_an_update_is_reverted_as_a_new_audited_change(store: Store) -> None:
    factories.provider(store)
    before = factories.contract(store, value="1200.00", compliance=["GDPR"])
    writes.update(
        store,
        "contract",
        before["id"],
        {"title": "Renamed", "value": None, "compliance": ["SOX", "GDPR"]},
        version=before["version"],
    )

    plan = undo.preview_undo(store)
    assert plan.events == 1
    assert "update of contract 'ENG-1' (title, value, compliance)" in plan.description
    assert undo.undo_last(store, expected=plan) == plan.description

    after = records.get(store, "contract", before["id"])
    assert public(after) == public(before)
    assert after["version"] == before["version"] + 2
    newest = audit.recent(store, limit=1)[0]
    assert (newest["action"], newest["batch"]) == ("update", f"undo:event-{plan.newest_event}")
    assert newest["changes"]["title"] == ["Renamed", f"Contract {before['code']}"]


def test_a_creation_is_deleted_and_a_deletion_recreated_under_its_old_id(store: Store) -> None:
    factories.provider(store)
    contract = factories.contract(store, end_date="2025-12-31", auto_renew=True)
    writes.delete(store, "contract", contract["id"], version=contract["version"])

    assert "deletion of contract 'ENG-1'" in undo.undo_last(store)
    again = records.get(store, "contract", contract["id"])
    assert public(again) == public(contract)
    assert [e["action"] for e in history.record_history(store, "contract", contract["id"])] == [
        "create",
        "delete",
        "create",
    ]

    assert "creation of contract 'ENG-1'" in undo.undo_last(store)
    assert records.counts(store)["contract"] == 0


def test_undoing_again_walks_back_and_an_undo_is_never_undone(store: Store) -> None:
    task = factories.task(store, hours_per_month=1)
    for hours in (2, 3):
        task = writes.update(
            store, "task", task["id"], {"hours_per_month": hours}, version=task["version"]
        )

    undone = [undo.undo_last(store) for _ in range(3)]
    assert [d.split(" at ")[0] for d in undone] == [
        "your update of task 'Model upkeep' (hours_per_month)",
        "your update of task 'Model upkeep' (hours_per_month)",
        "your creation of task 'Model upkeep'",
    ]
    assert records.counts(store)["task"] == 0
    events = audit_count(store)
    with pytest.raises(UndoError, match=r"nothing of yours .* to undo"):
        undo.undo_last(store)
    assert audit_count(store) == events


def test_refused_when_someone_else_changed_the_record_since(store: Store, as_user: Any) -> None:
    task = factories.task(store)
    mine = writes.update(store, "task", task["id"], {"owner": "Ann"}, version=1)
    with as_user("bea"):
        theirs = writes.update(
            store, "task", task["id"], {"area": "Research"}, version=mine["version"]
        )
    events = audit_count(store)

    for attempt in (lambda: undo.preview_undo(store), lambda: undo.undo_last(store)):
        with pytest.raises(UndoError, match=r"bea changed task 'Model upkeep' since"):
            attempt()
    assert records.get(store, "task", task["id"]) == theirs
    assert audit_count(store) == events


def test_changes_by_others_to_other_records_do_not_block(store: Store, as_user: Any) -> None:
    factories.task(store, "Mine")
    with as_user("bea"):
        factories.task(store, "Theirs")
    assert "creation of task 'Mine'" in undo.undo_last(store)
    assert records.find(store, "task", {"name": "Theirs"}) is not None
    with as_user("bea"):
        assert "creation of task 'Theirs'" in undo.undo_last(store)


def test_a_creation_others_now_reference_is_not_undone(store: Store, as_user: Any) -> None:
    factories.provider(store)
    with as_user("bea"):
        factories.contract(store)
    with pytest.raises(UndoError, match=r"referenced by 1 contract \(ENG-1\)"):
        undo.undo_last(store)
    assert records.counts(store)["provider"] == 1


def _import_like_batch(store: Store) -> None:
    """What an import writes: creates and an update in one transaction, one batch."""
    factories.provider(store, "Existing")
    spec = kind_spec("provider")
    existing = records.find(store, "provider", {"name": "Existing"})
    assert existing is not None
    with store.write() as conn:
        batch = writes.Batch(conn, writes.FieldProblems(), label="import-1")
        batch.put(spec, [writes.Item({"name": name}) for name in ("Alpha", "Beta", "Gamma")])
        batch.update(spec, [(existing["id"], {"country": "India"}, None)])


def test_a_batch_is_undone_as_one_step(store: Store) -> None:
    _import_like_batch(store)
    plan = undo.preview_undo(store)
    assert plan.events == 4
    assert "batch of 4 changes" in plan.description
    assert "3 providers created, 1 provider updated" in plan.description

    assert undo.undo_last(store) == plan.description
    assert records.counts(store)["provider"] == 1
    existing = records.find(store, "provider", {"name": "Existing"})
    assert existing is not None and existing["country"] is None
    marker = {e["batch"] for e in audit.recent(store, limit=4)}
    assert marker == {"undo:import-1"}


def test_a_batch_touched_by_someone_else_is_not_undone_at_all(store: Store, as_user: Any) -> None:
    _import_like_batch(store)
    beta = records.find(store, "provider", {"name": "Beta"})
    assert beta is not None
    with as_user("bea"):
        writes.update(store, "provider", beta["id"], {"country": "Peru"}, version=1)
    events = audit_count(store)
    with pytest.raises(UndoError, match="bea changed provider 'Beta' since"):
        undo.undo_last(store)
    assert records.counts(store)["provider"] == 4
    assert audit_count(store) == events


def test_the_confirmed_change_must_still_be_the_last(store: Store) -> None:
    factories.task(store, "First")
    plan = undo.preview_undo(store)
    factories.task(store, "Second")  # e.g. in another window, before confirming
    with pytest.raises(UndoError, match=r"your last change is now .*'Second'"):
        undo.undo_last(store, expected=plan)
    assert records.counts(store)["task"] == 2


# -- the command ----------------------------------------------------------------------------


def test_the_command_undoes_with_yes_and_says_what(db_url: str) -> None:
    runner = CliRunner()
    runner.invoke(main, ["--db", db_url, "init"])
    from kpotui.store import open_store

    store = open_store(db_url)
    factories.task(store)
    store.close()

    refused = runner.invoke(main, ["--db", db_url, "undo"])  # not a terminal, no --yes
    assert refused.exit_code == 1
    assert "would undo your creation of task 'Model upkeep'" in refused.output
    assert "--yes" in refused.output

    done = runner.invoke(main, ["--db", db_url, "undo", "--yes"])
    assert done.exit_code == 0, done.output
    assert done.output.startswith("undone: your creation of task 'Model upkeep'")

    nothing = runner.invoke(main, ["--db", db_url, "undo", "--yes"])
    assert nothing.exit_code == 1
    assert nothing.output.count("\n") == 1 and "Traceback" not in nothing.output


def test_the_command_asks_in_a_terminal(tmp_path: Path) -> None:
    from kpotui.store import open_store

    path = tmp_path / "tty.db"
    store = open_store(str(path))
    factories.task(store)
    store.close()
    kpotui = [sys.executable, "-c", "from kpotui.cli import main; main()", "--db", str(path)]
    for answer, expected_tasks in ((b"n\n", 1), (b"y\n", 0)):
        primary, secondary = os.openpty()
        try:
            os.write(primary, answer)
            done = subprocess.run(
                [*kpotui, "undo"], stdin=secondary, capture_output=True, timeout=60, check=False
            )
        finally:
            os.close(primary)
            os.close(secondary)
        assert b"Undo your creation of task 'Model upkeep'" in done.stderr
        check = open_store(str(path))
        assert records.counts(check)["task"] == expected_tasks
        check.close()


def test_undoing_an_import_removes_all_of_it_and_only_it(db_url: str) -> None:
    from kpotui.store import open_store

    sample = Path(__file__).resolve().parents[2] / "sample_data" / "firm.toml"
    runner = CliRunner()
    store = open_store(db_url)
    factories.provider(store, "Mine before")
    store.close()
    imported = runner.invoke(main, ["--db", db_url, "import", str(sample)])
    assert imported.exit_code == 0, imported.output

    done = runner.invoke(main, ["--db", db_url, "undo", "--yes"])

    assert done.exit_code == 0, done.output
    assert "providers created" in done.output and "deliverables created" in done.output
    store = open_store(db_url)
    assert records.counts(store) == {
        "provider": 1,
        "contract": 0,
        "deliverable": 0,
        "task": 0,
        "note": 0,
        "decision": 0,
        "rate": 0,
    }
    assert "creation of provider 'Mine before'" in undo.preview_undo(store).description
    store.close()


def test_undoing_an_import_that_updated_puts_the_old_values_back(
    db_url: str, tmp_path: Path
) -> None:
    from kpotui.store import open_store

    store = open_store(db_url)
    factories.provider(store, "Meridian", country="India")
    factories.provider(store, "Northwind")
    source = tmp_path / "providers.csv"
    source.write_text("name,country\nMeridian,Peru\nNorthwind,Chile\nNew one,Spain\n")
    imported = CliRunner().invoke(
        main, ["--db", db_url, "import", str(source), "--on-conflict", "update"]
    )
    assert imported.exit_code == 0, imported.output

    assert "1 provider created, 2 providers updated" in undo.undo_last(store)
    after = {r["name"]: r["country"] for r in factories.listed(store, "provider")}
    assert after == {"Meridian": "India", "Northwind": None}
    store.close()
