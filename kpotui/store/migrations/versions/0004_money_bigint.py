"""Money columns become 64-bit on PostgreSQL.

Amounts are integer minor units; PostgreSQL's INTEGER is 32-bit and refused any amount
above 21,474,836.47, well inside what validation accepts. SQLite's INTEGER is 64-bit
already, so nothing changes there (no table is rebuilt).

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY_COLUMNS = [
    ("contract", "value_minor"),
    ("contract", "in_house_estimate_minor"),
    ("deliverable", "amount_minor"),
    ("task", "in_house_monthly_cost_minor"),
    ("task", "outsourced_monthly_cost_minor"),
]


def _alter(new: sa.types.TypeEngine[int], old: sa.types.TypeEngine[int]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in MONEY_COLUMNS:
        op.alter_column(table, column, type_=new, existing_type=old, existing_nullable=True)


def upgrade() -> None:
    _alter(sa.BigInteger(), sa.Integer())


def downgrade() -> None:
    _alter(sa.Integer(), sa.BigInteger())
