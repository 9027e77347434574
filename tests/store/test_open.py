"""Opening a database: where it is, how it is created, what is refused."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from kpotui import config, paths
from kpotui.services import records, writes
from kpotui.store import ReadOnlyError, StoreError, open_store, resolve_target


def test_new_database_file_is_private_even_under_a_lax_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        open_store(str(tmp_path / "new" / "kpotui.db")).close()
    finally:
        os.umask(old)
    assert oct((tmp_path / "new" / "kpotui.db").stat().st_mode & 0o777) == "0o600"


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    from sqlalchemy import text

    store = open_store(str(tmp_path / "x.db"))
    with store.read() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
    store.close()


def test_target_resolution_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert resolve_target() == str(paths.default_db_path())
    config.set_value("db", str(tmp_path / "from-config.db"))
    assert resolve_target() == str(tmp_path / "from-config.db")
    monkeypatch.setenv("KPOTUI_DB", str(tmp_path / "from-env.db"))
    assert resolve_target() == str(tmp_path / "from-env.db")
    assert resolve_target(str(tmp_path / "from-flag.db")) == str(tmp_path / "from-flag.db")


def test_default_database_lives_in_the_user_data_directory(tmp_path: Path) -> None:
    assert paths.default_db_path().name == "kpotui.db"
    assert str(paths.default_db_path()).startswith(os.environ["XDG_DATA_HOME"])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b"this is not a database at all" * 100), "not a database"),
    ],
)
def test_bad_targets_are_refused_with_a_reason(tmp_path: Path, make: object, message: str) -> None:
    target = tmp_path / "target.db"
    make(target)  # type: ignore[operator]
    with pytest.raises(StoreError, match=message):
        open_store(str(target))


def test_read_only_store_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    open_store(str(path)).close()
    store = open_store(str(path), read_only=True)
    with pytest.raises(ReadOnlyError):
        writes.create(store, "provider", {"name": "Acme"})
    assert records.counts(store)["provider"] == 0
    store.close()


def test_read_only_never_creates_a_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such database"):
        open_store(str(tmp_path / "missing.db"), read_only=True)
    assert not (tmp_path / "missing.db").exists()


def test_reading_read_only_creates_no_wal_or_shm(tmp_path: Path) -> None:
    """They would belong to the reader, who cannot remove them, and stop the owner's saves."""
    path = tmp_path / "x.db"
    writes.create(created := open_store(str(path)), "provider", {"name": "Acme"})
    created.close()
    store = open_store(str(path), read_only=True)
    assert records.counts(store)["provider"] == 1
    store.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.db"]


def test_reading_read_only_sees_what_is_still_in_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    writer = open_store(str(path))
    writes.create(writer, "provider", {"name": "Acme"})
    with writer.read():  # the -wal stays: the change is not in x.db yet
        store = open_store(str(path), read_only=True)
        assert records.counts(store)["provider"] == 1
        store.close()
    writer.close()


def test_a_read_only_store_finds_changes_made_after_it_opened(tmp_path: Path) -> None:
    """Each read connects afresh: a writer that arrives later is seen, not missed."""
    path = tmp_path / "x.db"
    open_store(str(path)).close()
    store = open_store(str(path), read_only=True)
    assert records.counts(store)["provider"] == 0
    writer = open_store(str(path))
    writes.create(writer, "provider", {"name": "Acme"})
    with writer.read():
        assert records.counts(store)["provider"] == 1
    writer.close()
    store.close()


def test_failed_write_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "x.db"))
    with pytest.raises(RuntimeError), store.write() as conn:
        from sqlalchemy import text

        conn.execute(text("INSERT INTO alembic_version VALUES ('junk')"))
        raise RuntimeError("boom")
    with sqlite3.connect(tmp_path / "x.db") as raw:
        assert raw.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    store.close()
