"""Acknowledged agenda items, and an index for deliverables awaiting review.

An acknowledgement names the item by its stable id (which holds the item's date) and the
version of its record then: the item comes back when either changes. The agenda lists
submitted deliverables by their submission date: ``ix_deliverable_status_submitted``
reads them without a scan.

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


def upgrade() -> None:
    op.create_table(
        "agenda_ack",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("item_date", sa.Date(), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=False),
        sa.Column("acked_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("acked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("item_id", "record_version", name="uq_agenda_ack_item_version"),
    )
    op.create_index("ix_deliverable_status_submitted", "deliverable", ["status", "submitted_date"])


def downgrade() -> None:
    op.drop_index("ix_deliverable_status_submitted", table_name="deliverable")
    op.drop_table("agenda_ack")
