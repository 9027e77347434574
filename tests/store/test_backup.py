"""A backup appears under its name only when complete: a crash mid-copy leaves no half
database where the user expects a backup."""

from __future__ import annotations

import sqlite3
import types
from pathlib import Path

import pytest

from kpotui.store import backup as backup_module
from kpotui.store import open_store


def test_the_backup_is_built_aside_and_renamed_into_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(str(tmp_path / "firm.db"))
    target = tmp_path / "copy.db"
    seen: list[tuple[bool, str]] = []
    real_connect = sqlite3.connect

    def connect(path: object) -> sqlite3.Connection:
        seen.append((target.exists(), Path(str(path)).name))
        return real_connect(str(path))

    monkeypatch.setattr(backup_module, "sqlite3", types.SimpleNamespace(connect=connect))
    try:
        assert backup_module.backup(store, target) == target
    finally:
        store.close()
    (source_seen, _), (copy_seen, building) = seen
    assert not source_seen and not copy_seen  # the copy is made under another name
    assert building.startswith(".copy.db.") and building.endswith(".tmp")
    assert sorted(p.name for p in tmp_path.iterdir() if "copy" in p.name) == ["copy.db"]
    with real_connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
