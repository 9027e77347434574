"""Indexes for the firm's change log (``kpotui log``, the Changes screen).

The log shows the newest events first, filtered by kind, by a record's key or by time. An
index on each filter that ends with ``id`` reads the newest matching events without
scanning the trail (the actor's index, ``ix_audit_actor``, exists already).

Revision ID: 0012
Revises: 0007
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_audit_kind": ["kind", "id"],
    "ix_audit_key": ["key", "id"],
    "ix_audit_at": ["at"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "audit_event", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="audit_event")
