"""Migration 0011 on a database already holding keys that differ only in case: it does
not fail, ``db check`` names each clash and how to fix it, and once fixed ``db upgrade``
makes the key unique ignoring case."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from click.testing import CliRunner, Result
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from kpotui.cli import main
from kpotui.services import records, writes
from kpotui.services.errors import ValidationError
from kpotui.store import open_store
from tests.store.test_migrations import _alembic_config

PROVIDER = (
    "INSERT INTO provider (name, services, certifications, created_at, updated_at, version)"
    " VALUES (:name, '[]', '[]', '2025-01-01', '2025-01-01', 1)"
)


def _kpotui(db: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", db, *args])


def _at_0007_with_clashes(db_url: str) -> None:
    """The database taken back to 0007, holding DupCo beside dupco and DUPCO."""
    store = open_store(db_url)
    try:
        with store.engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "0007")
            for name in ("DupCo", "dupco", "DUPCO", "Other"):
                conn.execute(text(PROVIDER), {"name": name})
    finally:
        store.close()


def test_clashes_are_reported_then_fixed_then_enforced(db_url: str) -> None:
    _at_0007_with_clashes(db_url)
    upgraded = _kpotui(db_url, "db", "upgrade")
    assert "upgraded 0007 -> " in upgraded.output
    assert upgraded.exit_code == 1
    assert "1 kind(s) hold keys differing only in case; 'kpotui db check' lists them" in (
        upgraded.stderr
    )

    checked = _kpotui(db_url, "db", "check")
    assert checked.exit_code == 1
    clashes = [line for line in checked.stderr.splitlines() if line.startswith("problem:")]
    pairs = [
        ((1, "DupCo"), (2, "dupco")),
        ((1, "DupCo"), (3, "DUPCO")),
        ((2, "dupco"), (3, "DUPCO")),
    ]
    assert clashes == [
        f"problem: provider {b!r} (id {j}) clashes with {a!r} (id {i}): names are unique "
        "ignoring case; rename or delete one, then run 'kpotui db upgrade'"
        for (i, a), (j, b) in pairs
    ]

    store = open_store(db_url)
    try:  # while the index is not unique, the write path still refuses a new variant
        with pytest.raises(ValidationError, match="clashes with existing 'DupCo'"):
            writes.create(store, "provider", {"name": "dUpCo"})
        for name, new in (("dupco", "DupCo India"), ("DUPCO", "DupCo Poland")):
            found = records.find(store, "provider", {"name": name})
            assert found is not None
            writes.update(store, "provider", found["id"], {"name": new}, version=1)
    finally:
        store.close()

    checked = _kpotui(db_url, "db", "check")
    assert checked.exit_code == 1
    assert "provider names are not yet enforced unique ignoring case; run 'kpotui db upgrade'" in (
        checked.stderr
    )
    upgraded = _kpotui(db_url, "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert "provider names now unique ignoring case" in upgraded.output
    assert _kpotui(db_url, "db", "check").exit_code == 0

    store = open_store(db_url)
    try:
        with pytest.raises(IntegrityError, match="uq_provider_name_folded"), store.write() as c:
            c.execute(text(PROVIDER), {"name": "OTHER"})
    finally:
        store.close()


def test_the_migration_downgrades_and_upgrades_again(db_url: str) -> None:
    store = open_store(db_url)
    try:
        writes.create(store, "provider", {"name": "Acme"})
        with store.engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "0007")
            conn.execute(text(PROVIDER), {"name": "ACME"})  # allowed before 0011
            conn.execute(text("DELETE FROM provider WHERE name = 'ACME'"))
            command.upgrade(_alembic_config(conn), "head")
        assert _kpotui(db_url, "db", "check").exit_code == 0
    finally:
        store.close()


def test_looking_for_clashes_sorts_the_table_once_instead_of_joining_it_with_itself(
    tmp_path: Path,
) -> None:
    """On 40,000 providers a self-join took the upgrade of the large firm over 14 minutes;
    the upgrade asks only whether a folded key is held twice (a GROUP BY)."""
    from kpotui.store import keys

    store = open_store(str(tmp_path / "plan.db"))
    try:
        with store.engine.begin() as conn:
            provider = next(k for k in keys.FOLDED_KEYS if k.table == "provider")
            conn.exec_driver_sql(f"DROP INDEX {provider.index}")  # as before migration 0011
            plan = conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN "
                + keys._duplicates_sql(provider, conn.dialect.name)
                + " LIMIT 1"
            ).all()
            scans = [row[-1] for row in plan if "provider" in row[-1]]
            assert len(scans) == 1, scans
            conn.execute(text(PROVIDER), {"name": "DupCo"})
            assert not keys.has_clashes(conn, provider)
            conn.execute(text(PROVIDER), {"name": "dupco"})
            assert keys.has_clashes(conn, provider)
    finally:
        store.close()
