"""What a large import does beyond a small one: statistics refreshed, a larger cache."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from kpotui.interchange import importer
from kpotui.interchange.inputs import CsvSource
from kpotui.interchange.problems import InputError
from kpotui.services import history, records, undo, writes
from kpotui.services.fields import kind_spec
from kpotui.store import Store, open_store, tuning
from tests.interchange.conftest import kpotui


def test_sqlite_statistics_are_refreshed_after_a_large_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "CHUNK_ROWS", 40)  # many chunks, whatever the size
    monkeypatch.setattr(writes, "ANALYZE_AFTER_ROWS", 100)
    db = str(tmp_path / "big.db")
    rows = "".join(f"Provider {i:04d},Country {i % 7}\n" for i in range(101))
    result = kpotui(db, "import", "--kind", "providers", "-", stdin="name,country\n" + rows)
    assert result.exit_code == 0, result.output
    assert "providers: 101 added" in result.stdout
    store = open_store(db)
    try:
        with store.read() as conn:
            analysed = conn.execute(text("SELECT tbl FROM sqlite_stat1")).scalars().all()
    finally:
        store.close()
    assert "provider" in analysed


def test_small_imports_leave_statistics_alone(tmp_path: Path) -> None:
    db = str(tmp_path / "small.db")
    result = kpotui(db, "import", "--kind", "providers", "-", stdin="name\nOne Ltd\n")
    assert result.exit_code == 0, result.output
    store = open_store(db)
    try:
        with store.read() as conn:
            analysed = conn.execute(text("SELECT tbl FROM sqlite_stat1")).scalars().all()
        assert "provider" not in analysed
    finally:
        store.close()


def test_the_larger_page_cache_lasts_for_the_bulk_write_only(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "cache.db"))
    try:
        with store.write() as conn:
            cache_size = "PRAGMA cache_size"
            default = conn.exec_driver_sql(cache_size).scalar()
            with tuning.large_page_cache(conn):
                assert conn.exec_driver_sql(cache_size).scalar() == -tuning.BULK_CACHE_KIB
            assert conn.exec_driver_sql(cache_size).scalar() == default
            with pytest.raises(ZeroDivisionError), tuning.large_page_cache(conn):
                print(1 / 0)
            assert conn.exec_driver_sql(cache_size).scalar() == default
    finally:
        store.close()


def _import_csv(store: Store, kind: str, text: str) -> None:
    source = CsvSource(f"{kind}.csv", kind_spec(kind), io.BytesIO(text.encode()))
    importer.import_sources(store, [source], on_conflict="update")


def test_an_imported_record_is_audited_and_undone_as_part_of_its_import(store: Store) -> None:
    _import_csv(store, "providers", "name,country,services\nAcme,India,legal;content\n")
    _import_csv(store, "providers", "name,country\nAcme,Poland\nBeta,\n")
    acme = records.find(store, "provider", {"name": "Acme"})
    assert acme is not None and acme["services"] == ["legal", "content"]
    events = history.record_history(store, "provider", acme["id"])
    # Its values at creation are derived: the record less the later update.
    created = {"name": [None, "Acme"], "country": [None, "India"]}
    assert [(e["action"], e["key"], e["changes"]) for e in events] == [
        ("create", "Acme", created | {"services": [None, ["legal", "content"]]}),
        ("update", "Acme", {"country": ["India", "Poland"]}),
    ]
    assert events[0]["batch"] and events[1]["batch"] != events[0]["batch"]
    assert "2 changes" in undo.undo_last(store)  # the second import: Beta added, Acme updated
    assert records.find(store, "provider", {"name": "Beta"}) is None
    assert records.find(store, "provider", {"name": "Acme"})["country"] == "India"  # type: ignore[index]


def _indexes(db: str) -> list[tuple[str, str]]:
    store = open_store(db)
    try:
        with store.read() as conn:
            query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
            return [tuple(row) for row in conn.exec_driver_sql(query)]
    finally:
        store.close()


def test_a_large_import_builds_the_secondary_indexes_again_and_a_failed_one_keeps_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "CHUNK_ROWS", 40)
    monkeypatch.setattr(writes, "DEFER_INDEXES_AFTER_ROWS", 100)
    dropped: list[str] = []
    drop = tuning.drop_secondary_indexes

    def spy(conn: Connection, table: str) -> list[str]:
        statements = drop(conn, table)
        dropped.extend(statements)
        return statements

    monkeypatch.setattr(tuning, "drop_secondary_indexes", spy)
    db = str(tmp_path / "big.db")
    assert kpotui(db, "import", "--kind", "providers", "-", stdin="name\nAcme\n").exit_code == 0
    before = _indexes(db)
    assert any(name == "ix_contract_status_end" for name, _ in before)

    header = "code,title,provider,service_line,start_date\n"
    contracts = "".join(f"C-{i:03d},Contract {i},Acme,legal,2025-01-01\n" for i in range(300))
    bad = contracts + "C-999,Late,Nobody,legal,2025-01-01\n"  # found after the drop
    result = kpotui(db, "import", "--kind", "contracts", "-", stdin=header + bad)
    assert result.exit_code == 1 and "no provider named 'Nobody'" in result.stderr
    assert _indexes(db) == before
    assert any("ix_contract_status_end" in sql for sql in dropped)  # dropped, rolled back

    dropped.clear()
    result = kpotui(db, "import", "--kind", "contracts", "-", stdin=header + contracts)
    assert result.exit_code == 0, result.output
    assert any("ix_contract_status_end" in sql for sql in dropped)
    assert _indexes(db) == before


def test_a_large_import_of_deliverables_builds_their_case_insensitive_key_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index is dropped while the rows go in (the exact key's index serves the
    lookups meanwhile) and built again, unique, before the commit."""
    monkeypatch.setattr(importer, "CHUNK_ROWS", 40)
    monkeypatch.setattr(writes, "DEFER_INDEXES_AFTER_ROWS", 100)
    dropped: list[str] = []
    drop = tuning.drop_secondary_indexes

    def spy(conn: Connection, table: str) -> list[str]:
        statements = drop(conn, table)
        dropped.extend(statements)
        return statements

    monkeypatch.setattr(tuning, "drop_secondary_indexes", spy)
    db = str(tmp_path / "big.db")
    contract = "code,title,provider,service_line,start_date\nC-1,T,Acme,legal,2025-01-01\n"
    assert kpotui(db, "import", "--kind", "providers", "-", stdin="name\nAcme\n").exit_code == 0
    assert kpotui(db, "import", "--kind", "contracts", "-", stdin=contract).exit_code == 0
    before = _indexes(db)
    rows = "".join(f"C-1,Report {i},2025-02-01\n" for i in range(300))
    clash = "c-1,REPORT 7,2025-02-01\n"  # comes after the drop
    stdin = "contract,title,due_date\n" + rows
    result = kpotui(db, "import", "--kind", "deliverables", "-", stdin=stdin + clash)
    assert result.exit_code == 1 and "clashes with 'C-1 / Report 7'" in result.stderr
    assert _indexes(db) == before
    result = kpotui(db, "import", "--kind", "deliverables", "-", stdin=stdin)
    assert result.exit_code == 0, result.output
    assert any("uq_deliverable_title_folded" in sql for sql in dropped)
    assert _indexes(db) == before
    assert (
        "uq_deliverable_title_folded",
        "CREATE UNIQUE INDEX uq_deliverable_title_folded ON "
        "deliverable (contract_id, lower(title))",
    ) in before


def test_the_garbage_collector_runs_again_after_an_import_that_worked_or_failed(
    store: Store,
) -> None:
    import gc

    assert gc.isenabled()
    _import_csv(store, "providers", "name\nAcme\n")
    assert gc.isenabled()
    with pytest.raises(InputError):
        _import_csv(store, "providers", "name,country\n,India\n")  # no name
    assert gc.isenabled()
