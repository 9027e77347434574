"""Money never mixes currencies: activities get a currency, and dated exchange rates.

An activity's monthly costs were amounts without a currency; existing activities take
the firm's reporting currency (the ``currency`` setting, EUR when never set), as new
ones do. The covering indexes of the activity queries gain the column, so costs can be
summed per currency without reading the table.

``rate`` holds, per currency and date, how many units of the reporting currency one unit
buys, as canonical decimal text (exact on every database).

Revision ID: 0009
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = {
    "ix_task_matrix": [
        "sourcing",
        "classification",
        "owner",
        "in_house_monthly_cost_minor",
        "outsourced_monthly_cost_minor",
    ],
    "ix_task_contract": [
        "contract_id",
        "in_house_monthly_cost_minor",
        "outsourced_monthly_cost_minor",
    ],
}
"""The activity indexes before this revision."""
AFTER = {
    # Currency right after the matrix's grouping columns, so grouping by it needs no sort;
    # knowledge risk last, so retention's counts by it are read from the index alone.
    "ix_task_matrix": [
        "sourcing",
        "classification",
        "currency",
        "owner",
        "in_house_monthly_cost_minor",
        "outsourced_monthly_cost_minor",
        "knowledge_risk",
    ],
    "ix_task_contract": [*BEFORE["ix_task_contract"], "currency"],
}


def _reporting_currency() -> str:
    setting = sa.table("setting", sa.column("key"), sa.column("value", sa.JSON()))
    query = sa.select(setting.c.value).where(setting.c.key == "currency")
    value = op.get_bind().execute(query).scalar_one_or_none()
    return value if isinstance(value, str) else "EUR"


def _indexes(wanted: dict[str, list[str]]) -> None:
    for name, columns in wanted.items():
        op.drop_index(name, table_name="task")
        op.create_index(name, "task", columns)


def upgrade() -> None:
    op.add_column("task", sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.get_bind().execute(
        sa.text("UPDATE task SET currency = :code"), {"code": _reporting_currency()}
    )
    with op.batch_alter_table("task") as batch_op:
        batch_op.alter_column(
            "currency", existing_type=sqlmodel.sql.sqltypes.AutoString(), nullable=False
        )
    _indexes(AFTER)
    op.create_table(
        "rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("rate", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("currency", "date", name="uq_rate_currency_date"),
    )
    op.execute("ANALYZE")


def downgrade() -> None:
    op.drop_table("rate")
    _indexes(BEFORE)
    with op.batch_alter_table("task") as batch_op:
        batch_op.drop_column("currency")
