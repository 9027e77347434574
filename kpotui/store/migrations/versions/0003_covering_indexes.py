"""Indexes that answer the dashboard and the lists without reading the tables.

Each insight query aggregates a few columns of a big table; an index holding exactly
those columns (a covering index) is read instead of the table's rows, which on 200,000
deliverables turns seconds into tens of milliseconds. Single-column indexes were slower
than none for these queries (each match costs a lookup in the table). The batch index
lets undo find an import's events without scanning the audit trail.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> index -> (columns before, columns after); None: the index is new.
CHANGES: dict[str, dict[str, tuple[list[str] | None, list[str]]]] = {
    "contract": {
        "ix_contract_provider": (
            ["provider_id"],
            ["provider_id", "status", "currency", "value_minor", "in_house_estimate_minor"],
        ),
        "ix_contract_status_end": (["status", "end_date"], ["status", "end_date", "notice_days"]),
    },
    "deliverable": {
        "ix_deliverable_reliability": (
            None,
            ["contract_id", "status", "due_date", "submitted_date", "quality_score"],
        ),
    },
    "task": {
        "ix_task_matrix": (
            ["classification", "sourcing"],
            [
                "sourcing",
                "classification",
                "owner",
                "in_house_monthly_cost_minor",
                "outsourced_monthly_cost_minor",
            ],
        ),
        "ix_task_contract": (
            ["contract_id"],
            ["contract_id", "in_house_monthly_cost_minor", "outsourced_monthly_cost_minor"],
        ),
    },
    "note": {"ix_note_task": (["task_id"], ["task_id", "review_by"])},
    "decision": {"ix_decision_date": (["date"], ["date", "made_by", "reversible"])},
    "audit_event": {"ix_audit_batch": (None, ["batch"])},
}


def _swap(use_new: bool) -> None:
    for table, indexes in CHANGES.items():
        for name, (before, after) in indexes.items():
            old, new = (before, after) if use_new else (after, before)
            if old is not None:
                op.drop_index(name, table_name=table)
            if new is not None:
                op.create_index(name, table, new)


def upgrade() -> None:
    _swap(use_new=True)
    op.execute("ANALYZE")  # the planner needs statistics to prefer the covering indexes


def downgrade() -> None:
    _swap(use_new=False)
