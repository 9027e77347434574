"""Contracts get a renewal term: the months an auto-renewal adds (empty: 12).

A new nullable column; no row is rewritten (SQLite adds it without rebuilding the table).

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("contract", sa.Column("renewal_term_months", sa.Integer(), nullable=True))


def downgrade() -> None:
    # A plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch rebuild of the table
    # would drop the triggers on contract (migration 0005).
    op.drop_column("contract", "renewal_term_months")
