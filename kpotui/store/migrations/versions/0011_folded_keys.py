"""Natural keys unique ignoring case: an index on each key with its text folded.

``DupCo`` and ``dupco`` were two providers, splitting spend and reliability. Each index
holds the key's text as ``lower()`` folds it (see :mod:`kpotui.store.keys`). A table that
already holds keys differing only in case gets the index non-unique, so the upgrade never
fails on existing data: ``kpotui db check`` names each clash, and once they are fixed
``kpotui db upgrade`` makes the index unique.

Revision ID: 0011
Revises: 0007
"""

from collections.abc import Sequence

from alembic import op

from kpotui.store import keys

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    conn = op.get_bind()
    for key in keys.FOLDED_KEYS:
        keys.create_index(conn, key, unique=not keys.has_clashes(conn, key))


def downgrade() -> None:
    for key in keys.FOLDED_KEYS:
        op.drop_index(key.index, table_name=key.table)
