"""Contracts get service-level targets: on-time share, least average quality, most
rework rounds, and the period they are measured over (default a quarter).

Four new columns, three nullable (no target) and one with a server default; no row is
rewritten (SQLite adds them without rebuilding the table). A partial index holds what
``kpotui report sla`` lists of the contracts with a target, in code order, so it reads
neither the other contracts nor their long rows.

Revision ID: 0015
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("sla_on_time_pct", "sla_min_quality", "sla_max_rework", "sla_period")
INDEXED = ("code", "id", "provider_id", "owner", "title", *COLUMNS)
WHERE = "sla_on_time_pct IS NOT NULL OR sla_min_quality IS NOT NULL OR sla_max_rework IS NOT NULL"


def upgrade() -> None:
    op.add_column("contract", sa.Column("sla_on_time_pct", sa.Integer(), nullable=True))
    op.add_column("contract", sa.Column("sla_min_quality", sa.Float(), nullable=True))
    op.add_column("contract", sa.Column("sla_max_rework", sa.Float(), nullable=True))
    op.add_column(
        "contract",
        sa.Column("sla_period", sa.String(), nullable=False, server_default="quarter"),
    )
    op.create_index(
        "ix_contract_sla",
        "contract",
        list(INDEXED),
        sqlite_where=sa.text(WHERE),
        postgresql_where=sa.text(WHERE),
    )


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+), as 0008: a batch rebuild of the
    # table would drop the triggers on contract (migration 0005).
    op.drop_index("ix_contract_sla", table_name="contract")
    for name in reversed(COLUMNS):
        op.drop_column("contract", name)
