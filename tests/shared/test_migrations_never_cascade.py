"""Point 4: a migration never deletes data, and a failed one changes nothing.

Each test adds migrations of its own after the shipped head (in a copy of the migrations
directory), so the schema change is real: Alembic's batch mode on SQLite rebuilds a table
by creating a copy, dropping the original and renaming. With foreign keys on, that DROP
deletes (ON DELETE CASCADE) or refuses (NO ACTION) the rows that reference the table.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, select

from kpotui.models import SQLModel
from kpotui.services import agenda, agenda_acks, settings, writes
from kpotui.store import migrate, open_store
from kpotui.store.migrate import MigrationError
from tests.services import factories

HEAD = migrate.HEAD_REVISION
HEADER = """
from alembic import op
import sqlalchemy as sa

revision = "{revision}"
down_revision = "{down}"
branch_labels = None
depends_on = None


def downgrade() -> None:
    pass


def upgrade() -> None:
"""


def add_migrations(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, bodies: list[str]) -> list[str]:
    """Copy the shipped migrations and add one revision per body after the head; make
    kpotui use them. Returns the new revisions."""
    directory = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, directory, ignore=shutil.ignore_patterns("__py*"))
    revisions, down = [], HEAD
    for number, body in enumerate(bodies, start=9001):
        revision = str(number)
        text = HEADER.format(revision=revision, down=down) + body
        (directory / "versions" / f"{revision}_test.py").write_text(text)
        revisions.append(revision)
        down = revision
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", directory)
    monkeypatch.setattr(migrate, "HEAD_REVISION", revisions[-1])
    return revisions


def populate(url: str) -> None:
    store = open_store(url)
    for p in range(3):
        factories.provider(store, f"Provider {p}", country="India", services=["legal"])
        for c in range(3):
            code = f"ENG-{p}-{c}"
            factories.contract(store, code, f"Provider {p}", value="1000.50")
            factories.deliverable(store, "Pack", code)
            factories.task(store, f"Task {code}", contract=code)
            factories.note(store, f"Note {code}", contract=code, provider=f"Provider {p}")
            factories.decision(store, f"Decision {code}", contract=code)
    settings.set_value(store, "currency", "USD")
    writes.create(store, "rate", {"currency": "EUR", "date": "2025-01-01", "rate": "1.1"})
    item = agenda.agenda(store, date(2025, 6, 1))[0]
    agenda_acks.acknowledge(
        store,
        item_id=item.id,
        day=item.day,
        record_kind=item.record_kind,
        record_id=item.record_id,
        record_version=item.record_version,
    )
    store.close()


def dump(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table of the models, as dicts (columns of the models only)."""
    store = open_store(url, upgrade=False)
    try:
        with store.read() as conn:
            return {
                table.name: [
                    dict(row._mapping)
                    for row in conn.execute(select(table).order_by(*table.primary_key))
                ]
                for table in SQLModel.metadata.sorted_tables
            }
    finally:
        store.close()


REBUILD_PROVIDER = """
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("provider", recreate="always" if sqlite else "auto") as batch:
        batch.add_column(sa.Column("tier", sa.String(), nullable=True))
"""


def test_rebuilding_a_referenced_table_keeps_every_row(
    db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    populate(db_url)
    before = dump(db_url)
    (revision,) = add_migrations(monkeypatch, tmp_path, [REBUILD_PROVIDER])

    store = open_store(db_url)
    assert store.upgraded_from == HEAD
    store.close()

    assert dump(db_url) == before
    assert all(before.values()), "every table holds rows"
    store = open_store(db_url)
    with store.read() as conn:
        assert conn.exec_driver_sql("SELECT count(tier) FROM provider").scalar() == 0
        assert migrate.current_revision(conn) == revision
    store.close()


def test_a_cascading_reference_loses_no_row_when_its_parent_is_rebuilt(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The trap measured on this machine: a batch migration with foreign keys on deleted
    every child row through ON DELETE CASCADE, without any error."""
    path = str(tmp_path / "cascade.db")
    open_store(path).close()
    add_migrations(
        monkeypatch,
        tmp_path,
        [
            """
    op.create_table("parent", sa.Column("id", sa.Integer, primary_key=True))
    op.create_table(
        "child",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id", ondelete="CASCADE")),
    )
    op.execute("INSERT INTO parent (id) VALUES (1), (2)")
    op.execute("INSERT INTO child (parent_id) VALUES (1), (1), (2)")
""",
            """
    with op.batch_alter_table("parent", recreate="always") as batch:
        batch.add_column(sa.Column("label", sa.String(), nullable=True))
""",
        ],
    )
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM child").fetchone() == (3,)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_failed_migration_leaves_schema_and_data_as_they_were(
    db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    populate(db_url)
    before = dump(db_url)
    add_migrations(
        monkeypatch,
        tmp_path,
        [
            REBUILD_PROVIDER,
            """
    op.execute("UPDATE contract SET title = 'half-migrated'")
    op.execute("DELETE FROM note")
    raise RuntimeError("injected failure")
""",
        ],
    )

    with pytest.raises(MigrationError, match="injected failure"):
        open_store(db_url)

    monkeypatch.setattr(migrate, "HEAD_REVISION", HEAD)
    assert dump(db_url) == before
    assert "tier" not in schema_of(db_url)["provider"]
    if "://" not in db_url:  # SQLite: the backup taken first opens and holds the old data
        (backup,) = Path(db_url).parent.glob(f"*.pre-upgrade-{HEAD}-*")
        assert dump(str(backup)) == before


def schema_of(url: str) -> dict[str, list[str]]:
    """Table -> column names, and the revision under the key ``revision``."""
    store = open_store(url, upgrade=False)
    try:
        with store.read() as conn:
            found = inspect(conn)
            tables = {t: [c["name"] for c in found.get_columns(t)] for t in found.get_table_names()}
            return tables | {"revision": [migrate.current_revision(conn) or ""]}
    finally:
        store.close()


def test_a_migration_that_would_break_references_is_rolled_back(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Foreign keys are off while migrating, so ``PRAGMA foreign_key_check`` afterwards is
    what catches a migration that orphans rows."""
    path = str(tmp_path / "orphans.db")
    populate(path)
    before = dump(path)
    add_migrations(monkeypatch, tmp_path, ['    op.execute("DELETE FROM provider")\n'])

    with pytest.raises(MigrationError, match="broken references"):
        open_store(path)
    monkeypatch.setattr(migrate, "HEAD_REVISION", HEAD)
    assert dump(path) == before
    assert schema_of(path)["revision"] == [HEAD]
