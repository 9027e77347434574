"""The schema comes from the Alembic migrations; older databases are upgraded safely."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from kpotui.models import SQLModel
from kpotui.services import insights, listing, records, writes
from kpotui.store import open_store
from kpotui.store.migrate import HEAD_REVISION, MIGRATIONS_DIR
from tests.services import factories as make


def _alembic_config(conn: object = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn
    return cfg


def test_head_revision_constant_matches_the_migrations() -> None:
    assert ScriptDirectory.from_config(_alembic_config()).get_current_head() == HEAD_REVISION


# The folded key indexes (kpotui.store.keys) are not in the models: their SQL differs per
# database. SQLAlchemy cannot reflect an expression index on SQLite, so they do not differ.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_migrations_build_exactly_the_tables_the_models_declare(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    store = open_store(str(tmp_path / "x.db"))
    with store.read() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    store.close()
    assert [d for d in diff if "note_fts" not in str(d)] == []


def _database_at_revision(path: Path, revision: str) -> None:
    from alembic import command

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), revision)
    engine.dispose()


def test_an_older_database_is_upgraded_after_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _database_at_revision(path, "0001")
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO note (title, body, kind, tags, created_at, updated_at, version)"
            " VALUES ('Old runbook', 'Rebuild the DCF', 'runbook', '[]', '2025-01-01',"
            " '2025-01-01', 1)"
        )

    store = open_store(str(path))
    try:
        assert store.upgraded_from == "0001"
        backup = store.upgrade_backup
        assert backup is not None and backup.exists()
        assert oct(backup.stat().st_mode & 0o777) == "0o600"
        with sqlite3.connect(backup) as old:
            assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
            assert old.execute("SELECT title FROM note").fetchall() == [("Old runbook",)]
        # the upgrade built the search index over the rows that were already there
        found = listing.page(store, "note", flt=listing.ListFilter(text="dcf"))
        assert [r["title"] for r in found] == ["Old runbook"]
        assert records.counts(store)["note"] == 1
    finally:
        store.close()
    reopened = open_store(str(path))
    assert reopened.upgraded_from is None
    reopened.close()


def test_a_newer_database_than_this_kpotui_is_refused(tmp_path: Path) -> None:
    from kpotui.store import StoreError

    path = tmp_path / "future.db"
    open_store(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="newer than this kpotui knows"):
        open_store(str(path))


def test_a_foreign_sqlite_file_is_not_taken_over(tmp_path: Path) -> None:
    from kpotui.store import StoreError

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(StoreError, match="not a kpotui database"):
        open_store(str(path))
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("customers",)]


def test_audit_trail_refuses_update_and_delete_at_database_level(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "x.db"))
    writes.create(store, "provider", {"name": "Acme"})
    for statement in ("UPDATE audit_event SET actor = 'mallory'", "DELETE FROM audit_event"):
        with pytest.raises(Exception, match="append-only"), store.write() as conn:
            conn.execute(text(statement))
    store.close()


def test_the_firm_settings_migration_downgrades_and_upgrades_again(db_url: str) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from kpotui.services import settings

    store = open_store(db_url)
    try:
        settings.set_value(store, "currency", "USD")
        with store.engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "0006")  # below the settings
            assert not inspect(conn).has_table("setting")
            command.upgrade(_alembic_config(conn), "head")
        assert settings.get(store, "currency") == "EUR"
        settings.set_value(store, "currency", "JPY")
        assert settings.get(store, "currency") == "JPY"
    finally:
        store.close()


def test_the_renewal_term_migration_downgrades_and_upgrades_again(db_url: str) -> None:
    """0008 adds a column and drops it again without rebuilding the contract table (its
    deliverables and the reliability triggers on it stay)."""
    from alembic import command
    from sqlalchemy import inspect

    store = open_store(db_url)
    try:
        make.provider(store)
        make.contract(store, auto_renew=True, renewal_term_months=6)
        make.deliverable(store, submitted_date="2025-05-30", quality_score=4)
        with store.engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "0007")
            columns = {c["name"] for c in inspect(conn).get_columns("contract")}
            assert "renewal_term_months" not in columns
            command.upgrade(_alembic_config(conn), "head")
        contract = records.find(store, "contract", {"code": "ENG-1"})
        assert contract is not None and contract["renewal_term_months"] is None
        assert records.counts(store)["deliverable"] == 1
        make.deliverable(store, "Next", submitted_date="2025-06-30", quality_score=2)
        (reliability,) = insights.reliability(store)
        assert (reliability.delivered, reliability.average_quality) == (2, 3.0)
    finally:
        store.close()


def test_existing_activities_take_the_reporting_currency_and_rates_come_and_go(
    db_url: str,
) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from kpotui.services import settings

    store = open_store(db_url)
    try:
        made = writes.create(
            store, "task", {"name": "Upkeep", "classification": "core", "sourcing": "in-house"}
        )
        assert made["currency"] == "EUR"
        settings.set_value(store, "currency", "USD")
        with store.engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "0007")
            assert not inspect(conn).has_table("rate")
            assert "currency" not in {c["name"] for c in inspect(conn).get_columns("task")}
            command.upgrade(_alembic_config(conn), "head")
        assert records.get(store, "task", made["id"])["currency"] == "USD"
    finally:
        store.close()


def test_the_contract_sla_migration_downgrades_and_upgrades_again(db_url: str) -> None:
    """0015 adds the SLA columns and their index, and drops them again without rebuilding
    the contract table (its deliverables and the reliability triggers on it stay)."""
    from alembic import command
    from sqlalchemy import inspect

    store = open_store(db_url)
    try:
        make.provider(store)
        make.contract(store, sla_on_time_pct=90, sla_period="month")
        make.deliverable(store, submitted_date="2025-05-30", quality_score=4)
        with store.engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "0012")
            columns = {c["name"] for c in inspect(conn).get_columns("contract")}
            assert not {"sla_on_time_pct", "sla_period"} & columns
            command.upgrade(_alembic_config(conn), "head")
            indexes = {i["name"] for i in inspect(conn).get_indexes("contract")}
            assert "ix_contract_sla" in indexes
        contract = records.find(store, "contract", {"code": "ENG-1"})
        assert contract is not None
        assert (contract["sla_on_time_pct"], contract["sla_period"]) == (None, "quarter")
        make.deliverable(store, "Next", submitted_date="2025-06-30", quality_score=2)
        (reliability,) = insights.reliability(store)
        assert (reliability.delivered, reliability.average_quality) == (2, 3.0)
    finally:
        store.close()


def test_the_exit_plan_migration_keeps_contracts_and_gives_them_no_plan(db_url: str) -> None:
    """0014 adds the exit plan's columns to existing contracts (no assets, no plan) and
    drops them again without rebuilding the table."""
    from alembic import command
    from sqlalchemy import inspect

    store = open_store(db_url)
    try:
        make.provider(store)
        make.contract(store)
        with store.engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "0012")
            columns = {c["name"] for c in inspect(conn).get_columns("contract")}
            assert not {c for c in columns if c.startswith("exit_")}
            command.upgrade(_alembic_config(conn), "head")
        contract = records.find(store, "contract", {"code": "ENG-1"})
        assert contract is not None
        assert contract["exit_assets"] == [] and contract["exit_transition_weeks"] is None
    finally:
        store.close()
