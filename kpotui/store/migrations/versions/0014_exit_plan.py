"""Contracts get an exit plan: what comes back, who takes it, how long it takes, when the
plan was last reviewed.

New columns only; no row is rewritten (SQLite adds them without rebuilding the table, so
the triggers on contract stay). Existing contracts have no assets (``[]``) and no plan.

Revision ID: 0014
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    sa.Column("exit_assets", sa.JSON(), nullable=False, server_default="[]"),
    sa.Column("exit_alternative", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column("exit_transition_weeks", sa.Integer(), nullable=True),
    sa.Column("exit_plan_reviewed", sa.Date(), nullable=True),
)


def upgrade() -> None:
    for column in COLUMNS:
        op.add_column("contract", column)


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch rebuild would drop the
    # triggers on contract (migration 0005).
    for column in reversed(COLUMNS):
        op.drop_column("contract", column.name)
