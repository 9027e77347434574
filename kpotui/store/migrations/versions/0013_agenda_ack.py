"""Acknowledged agenda items, and indexes for the agenda's dated items.

An acknowledgement names the item by its stable id (which holds the item's date) and the
version of its record then: the item comes back when either changes. The agenda reads
submitted deliverables, proposed decisions and notes by date (the earliest first, a
screenful at a time, or counted): one index each reads them without a scan.

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_deliverable_status_submitted": ("deliverable", ["status", "submitted_date"]),
    "ix_decision_status_date": ("decision", ["status", "date", "contract_id"]),
    "ix_note_review": ("note", ["review_by", "task_id"]),
}
"""What the agenda reads by date: work awaiting review, proposed decisions, notes."""


def upgrade() -> None:
    op.create_table(
        "agenda_ack",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("item_date", sa.Date(), nullable=False),
        sa.Column("record_kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=False),
        sa.Column("acked_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("acked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "record_version", name="uq_agenda_ack_item_version"),
    )
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
    op.drop_table("agenda_ack")
