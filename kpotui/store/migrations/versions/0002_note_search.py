"""Full-text search over notes: an FTS5 index on SQLite, a GIN text index on PostgreSQL.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = [
    """CREATE VIRTUAL TABLE note_fts USING fts5(
           title, body, tags, content='note', content_rowid='id',
           tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER note_fts_insert AFTER INSERT ON note BEGIN
           INSERT INTO note_fts(rowid, title, body, tags)
           VALUES (new.id, new.title, new.body, new.tags);
       END""",
    """CREATE TRIGGER note_fts_delete AFTER DELETE ON note BEGIN
           INSERT INTO note_fts(note_fts, rowid, title, body, tags)
           VALUES ('delete', old.id, old.title, old.body, old.tags);
       END""",
    """CREATE TRIGGER note_fts_update AFTER UPDATE OF title, body, tags ON note BEGIN
           INSERT INTO note_fts(note_fts, rowid, title, body, tags)
           VALUES ('delete', old.id, old.title, old.body, old.tags);
           INSERT INTO note_fts(rowid, title, body, tags)
           VALUES (new.id, new.title, new.body, new.tags);
       END""",
    "INSERT INTO note_fts(note_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER note_fts_update",
    "DROP TRIGGER note_fts_delete",
    "DROP TRIGGER note_fts_insert",
    "DROP TABLE note_fts",
]
POSTGRES_UP = [
    """CREATE INDEX ix_note_search ON note USING GIN (to_tsvector('simple',
           coalesce(note.title, '') || ' ' || coalesce(note.body, '')
           || ' ' || coalesce(note.tags::text, '')))""",
]
POSTGRES_DOWN = ["DROP INDEX ix_note_search"]


def _run(sqlite: list[str], postgres: list[str]) -> None:
    dialect = op.get_bind().dialect.name
    for statement in postgres if dialect == "postgresql" else sqlite:
        op.execute(statement)


def upgrade() -> None:
    _run(SQLITE_UP, POSTGRES_UP)


def downgrade() -> None:
    _run(SQLITE_DOWN, POSTGRES_DOWN)
