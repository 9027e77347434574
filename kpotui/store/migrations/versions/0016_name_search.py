"""Indexes for finding records by the start of their name (the palette, global search).

Deliverable titles and decision summaries have folded-key indexes already, but those
start with the contract (a title is unique per contract), so a search by title alone
scanned 200,000 rows per keystroke. These index the folded text alone, as
:func:`kpotui.store.keys.folded_sql` writes it, so ``lower(title) >= 'q'`` is a range.

Revision ID: 0016
Revises: 0015
"""

from collections.abc import Sequence

from alembic import op

from kpotui.store.keys import folded_sql

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = {
    "ix_deliverable_title_search": ("deliverable", "title"),
    "ix_decision_summary_search": ("decision", "summary"),
}


def upgrade() -> None:
    conn = op.get_bind()
    for name, (table, column) in INDEXES.items():
        conn.exec_driver_sql(
            f"CREATE INDEX {name} ON {table} ({folded_sql(column, conn.dialect.name)})"
        )


def downgrade() -> None:
    for name, (table, _) in INDEXES.items():
        op.drop_index(name, table_name=table)
