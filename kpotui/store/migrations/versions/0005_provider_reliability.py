"""Provider reliability kept per provider by triggers, so the dashboard does not aggregate
every deliverable on every load.

``provider_reliability`` holds, for each provider, the counts that do not depend on the
day: deliverables, delivered (submitted), on time, quality sum and count, in rework.
Triggers on deliverable (insert, update, delete) add and subtract one deliverable's share;
moving a contract to another provider recounts both providers; a new provider gets its
row and a deleted one loses it (ON DELETE CASCADE). What depends on the day (overdue
work) is still counted live, through ``ix_deliverable_status_due``, which now also holds
``contract_id`` so that count reads no deliverable row. ``ix_deliverable_reliability``
served only the old aggregate and is dropped (one index less to keep on every insert).

A later migration that rebuilds provider, contract or deliverable in SQLite batch mode
drops these triggers with the table and must create them again (as for ``note_fts``).

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTS = ("deliverables", "delivered", "on_time", "quality_sum", "quality_count", "rework")
RELIABILITY_COLUMNS = ["contract_id", "status", "due_date", "submitted_date", "quality_score"]


def _share(row: str) -> list[str]:
    """What one deliverable (``row`` is NEW or OLD) adds to each of ``COUNTS``."""
    return [
        "1",
        f"CASE WHEN {row}.submitted_date IS NULL THEN 0 ELSE 1 END",
        f"CASE WHEN {row}.submitted_date <= {row}.due_date THEN 1 ELSE 0 END",
        f"coalesce({row}.quality_score, 0)",
        f"CASE WHEN {row}.quality_score IS NULL THEN 0 ELSE 1 END",
        f"CASE WHEN {row}.status = 'rework' THEN 1 ELSE 0 END",
    ]


def _apply(row: str, sign: str, provider: str) -> str:
    """Add (sign ``+``) or take away (``-``) the share of ``row`` at ``provider``."""
    sets = ", ".join(f"{c} = {c} {sign} {e}" for c, e in zip(COUNTS, _share(row), strict=True))
    return f"UPDATE provider_reliability SET {sets} WHERE provider_id = {provider}"


RECOUNT = f"""UPDATE provider_reliability SET ({", ".join(COUNTS)}) = (
    SELECT count(d.id),
           count(d.submitted_date),
           count(d.id) FILTER (WHERE d.submitted_date <= d.due_date),
           coalesce(sum(d.quality_score), 0),
           count(d.quality_score),
           count(d.id) FILTER (WHERE d.status = 'rework')
    FROM contract c JOIN deliverable d ON d.contract_id = c.id
    WHERE c.provider_id = provider_reliability.provider_id)"""
"""Count every provider's figures from the deliverables (a WHERE after it: some)."""

WATCHED = "contract_id, status, due_date, submitted_date, quality_score"
"""The deliverable columns the figures depend on."""

PROVIDER_OF = "(SELECT provider_id FROM contract WHERE id = {row}.contract_id)"

SQLITE_UP = [
    """CREATE TRIGGER provider_reliability_new_provider AFTER INSERT ON provider BEGIN
           INSERT INTO provider_reliability (provider_id) VALUES (new.id);
       END""",
    f"""CREATE TRIGGER provider_reliability_insert AFTER INSERT ON deliverable BEGIN
           {_apply("new", "+", PROVIDER_OF.format(row="new"))};
       END""",
    f"""CREATE TRIGGER provider_reliability_delete AFTER DELETE ON deliverable BEGIN
           {_apply("old", "-", PROVIDER_OF.format(row="old"))};
       END""",
    f"""CREATE TRIGGER provider_reliability_update AFTER UPDATE OF {WATCHED} ON deliverable
       BEGIN
           {_apply("old", "-", PROVIDER_OF.format(row="old"))};
           {_apply("new", "+", PROVIDER_OF.format(row="new"))};
       END""",
    f"""CREATE TRIGGER provider_reliability_move AFTER UPDATE OF provider_id ON contract
       WHEN old.provider_id <> new.provider_id BEGIN
           {RECOUNT}
           WHERE provider_id IN (old.provider_id, new.provider_id);
       END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER provider_reliability_move",
    "DROP TRIGGER provider_reliability_update",
    "DROP TRIGGER provider_reliability_delete",
    "DROP TRIGGER provider_reliability_insert",
    "DROP TRIGGER provider_reliability_new_provider",
]

# PostgreSQL: the contract row is read FOR SHARE, so a concurrent move of that contract to
# another provider waits for this transaction (and then recounts with its rows), and this
# one never adds to the provider the contract is leaving.
POSTGRES_UP = [
    """CREATE FUNCTION provider_reliability_new_provider() RETURNS trigger LANGUAGE plpgsql
       AS $$ BEGIN
           INSERT INTO provider_reliability (provider_id) VALUES (NEW.id);
           RETURN NULL;
       END $$""",
    """CREATE TRIGGER provider_reliability_new_provider AFTER INSERT ON provider
       FOR EACH ROW EXECUTE FUNCTION provider_reliability_new_provider()""",
    f"""CREATE FUNCTION provider_reliability_deliverable() RETURNS trigger LANGUAGE plpgsql
       AS $$ DECLARE owner_id integer; BEGIN
           IF TG_OP <> 'INSERT' THEN
               SELECT provider_id INTO owner_id FROM contract WHERE id = OLD.contract_id
                   FOR SHARE;
               {_apply("OLD", "-", "owner_id")};
           END IF;
           IF TG_OP <> 'DELETE' THEN
               SELECT provider_id INTO owner_id FROM contract WHERE id = NEW.contract_id
                   FOR SHARE;
               {_apply("NEW", "+", "owner_id")};
           END IF;
           RETURN NULL;
       END $$""",
    f"""CREATE TRIGGER provider_reliability_deliverable
       AFTER INSERT OR DELETE OR UPDATE OF {WATCHED} ON deliverable
       FOR EACH ROW EXECUTE FUNCTION provider_reliability_deliverable()""",
    f"""CREATE FUNCTION provider_reliability_move() RETURNS trigger LANGUAGE plpgsql
       AS $$ BEGIN
           {RECOUNT}
           WHERE provider_id IN (OLD.provider_id, NEW.provider_id);
           RETURN NULL;
       END $$""",
    """CREATE TRIGGER provider_reliability_move AFTER UPDATE OF provider_id ON contract
       FOR EACH ROW WHEN (OLD.provider_id <> NEW.provider_id)
       EXECUTE FUNCTION provider_reliability_move()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER provider_reliability_move ON contract",
    "DROP FUNCTION provider_reliability_move()",
    "DROP TRIGGER provider_reliability_deliverable ON deliverable",
    "DROP FUNCTION provider_reliability_deliverable()",
    "DROP TRIGGER provider_reliability_new_provider ON provider",
    "DROP FUNCTION provider_reliability_new_provider()",
]


def upgrade() -> None:
    op.create_table(
        "provider_reliability",
        sa.Column(
            "provider_id",
            sa.Integer(),
            sa.ForeignKey("provider.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        *(sa.Column(name, sa.Integer(), nullable=False, server_default="0") for name in COUNTS),
    )
    op.execute("INSERT INTO provider_reliability (provider_id) SELECT id FROM provider")
    op.execute(RECOUNT)
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES_UP if postgres else SQLITE_UP:
        op.execute(statement)
    op.drop_index("ix_deliverable_reliability", table_name="deliverable")
    op.drop_index("ix_deliverable_status_due", table_name="deliverable")
    op.create_index(
        "ix_deliverable_status_due", "deliverable", ["status", "due_date", "contract_id"]
    )
    op.execute("ANALYZE")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES_DOWN if postgres else SQLITE_DOWN:
        op.execute(statement)
    op.drop_index("ix_deliverable_status_due", table_name="deliverable")
    op.create_index("ix_deliverable_status_due", "deliverable", ["status", "due_date"])
    op.create_index("ix_deliverable_reliability", "deliverable", RELIABILITY_COLUMNS)
    op.drop_table("provider_reliability")
