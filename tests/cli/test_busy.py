"""A write that meets another writer's lock waits, says so, and ends in one sentence."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpotui.cli import main
from kpotui.services import records, writes
from kpotui.store import engine, open_store


def test_a_lock_held_too_long_ends_in_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "busy.db"
    store = open_store(str(db))
    writes.create(store, "provider", {"name": "Kraków Data", "country": "Poland"})
    store.close()
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 1_500)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process, in the middle of its write
    try:
        result = CliRunner().invoke(main, ["--db", str(db), "undo", "--yes"])
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 1
    assert result.output == (
        "kpotui: waiting for another writer…\nkpotui: the database is busy; nothing was changed\n"
    )
    store = open_store(str(db))
    try:
        assert records.find(store, "provider", {"name": "Kraków Data"}) is not None
    finally:
        store.close()
