"""On PostgreSQL, keep ``provider_reliability`` with one update per statement, not per row.

0005's row trigger updated a provider's row once per deliverable: importing 200,000
deliverables updated rows of a few providers 200,000 times in one transaction, and each
update had to walk past every version the transaction had already left there. Here
statement-level triggers read the statement's rows from its transition tables, add up
their shares per provider and apply each provider's sum once (an upsert, so a missing
rollup row is created). A statement whose rows leave a provider's figures as they were
writes nothing for it. Moving contracts recounts the providers they leave and join, once
per statement; a new provider gets its row, a deleted one loses it (ON DELETE CASCADE).

As in 0005, the contracts of the rows counted are read FOR SHARE, so a concurrent move of
one of them waits for this transaction (then recounts with its rows), and this one never
adds to the provider a contract is leaving; locks are taken in key order.

SQLite has no statement-level triggers and keeps 0005's row triggers: they update the row
in place, in the same process, and cost little.

Revision ID: 0006
Revises: 0005
"""

import importlib
from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 0005 defines the figures and its own triggers; the downgrade puts those back as they were.
previous = importlib.import_module("kpotui.store.migrations.versions.0005_provider_reliability")
COUNTS: tuple[str, ...] = previous.COUNTS
WATCHED: list[str] = previous.RELIABILITY_COLUMNS
"""The deliverable columns the figures depend on."""


def _columns(alias: str) -> str:
    return ", ".join(f"{alias}.{name}" for name in WATCHED)


def _signed(alias: str, sign: str) -> str:
    """The watched columns of ``alias`` and the sign its share is counted with."""
    return f"{sign} AS sign, {_columns(alias)}"


CHANGED = f"""old_rows o JOIN new_rows n USING (id)
    WHERE ({_columns("o")}) IS DISTINCT FROM ({_columns("n")})"""
"""The rows of an UPDATE statement whose watched columns changed."""

ROWS = {
    "INSERT": f"SELECT {_signed('n', '1')} FROM new_rows n",
    "DELETE": f"SELECT {_signed('o', '-1')} FROM old_rows o",
    "UPDATE": f"SELECT {_signed('o', '-1')} FROM {CHANGED}\n"
    f"    UNION ALL SELECT {_signed('n', '1')} FROM {CHANGED}",
}
"""Per statement kind: each counted row's watched columns, + for added, - for taken away."""


def _apply(rows: str) -> str:
    """Add the signed shares of ``rows`` to their providers' figures, one upsert per
    provider whose figures change."""
    shares = previous._share("d")
    sums = ", ".join(
        f"sum(d.sign * ({share})) AS {name}" for name, share in zip(COUNTS, shares, strict=True)
    )
    names = ", ".join(COUNTS)
    zeros = ", ".join("0" for _ in COUNTS)
    adds = ", ".join(f"{c} = r.{c} + excluded.{c}" for c in COUNTS)
    return f"""WITH d AS ({rows}),
        owner AS (SELECT id, provider_id FROM contract
                  WHERE id IN (SELECT contract_id FROM d) ORDER BY id FOR SHARE),
        delta AS (SELECT owner.provider_id, {sums}
                  FROM d JOIN owner ON owner.id = d.contract_id GROUP BY owner.provider_id)
    INSERT INTO provider_reliability AS r (provider_id, {names})
    SELECT provider_id, {names} FROM delta WHERE ({names}) <> ({zeros})
    ORDER BY provider_id
    ON CONFLICT (provider_id) DO UPDATE SET {adds}"""


MOVED = """SELECT o.provider_id FROM old_rows o JOIN new_rows n USING (id)
        WHERE o.provider_id <> n.provider_id
    UNION SELECT n.provider_id FROM old_rows o JOIN new_rows n USING (id)
        WHERE o.provider_id <> n.provider_id"""
"""The providers that contracts of an UPDATE statement left or joined."""

POSTGRES_UP = [
    """CREATE FUNCTION provider_reliability_new_providers() RETURNS trigger LANGUAGE plpgsql
       AS $$ BEGIN
           INSERT INTO provider_reliability (provider_id) SELECT id FROM new_rows;
           RETURN NULL;
       END $$""",
    """CREATE TRIGGER provider_reliability_new_providers AFTER INSERT ON provider
       REFERENCING NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION provider_reliability_new_providers()""",
    f"""CREATE FUNCTION provider_reliability_deliverables() RETURNS trigger LANGUAGE plpgsql
       AS $$ BEGIN
           IF TG_OP = 'INSERT' THEN
               {_apply(ROWS["INSERT"])};
           ELSIF TG_OP = 'DELETE' THEN
               {_apply(ROWS["DELETE"])};
           ELSE
               {_apply(ROWS["UPDATE"])};
           END IF;
           RETURN NULL;
       END $$""",
    """CREATE TRIGGER provider_reliability_inserted AFTER INSERT ON deliverable
       REFERENCING NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION provider_reliability_deliverables()""",
    """CREATE TRIGGER provider_reliability_updated AFTER UPDATE ON deliverable
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION provider_reliability_deliverables()""",
    """CREATE TRIGGER provider_reliability_deleted AFTER DELETE ON deliverable
       REFERENCING OLD TABLE AS old_rows
       FOR EACH STATEMENT EXECUTE FUNCTION provider_reliability_deliverables()""",
    f"""CREATE FUNCTION provider_reliability_moves() RETURNS trigger LANGUAGE plpgsql
       AS $$ BEGIN
           {previous.RECOUNT}
           WHERE provider_id IN ({MOVED});
           RETURN NULL;
       END $$""",
    """CREATE TRIGGER provider_reliability_moves AFTER UPDATE ON contract
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION provider_reliability_moves()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER provider_reliability_moves ON contract",
    "DROP FUNCTION provider_reliability_moves()",
    "DROP TRIGGER provider_reliability_deleted ON deliverable",
    "DROP TRIGGER provider_reliability_updated ON deliverable",
    "DROP TRIGGER provider_reliability_inserted ON deliverable",
    "DROP FUNCTION provider_reliability_deliverables()",
    "DROP TRIGGER provider_reliability_new_providers ON provider",
    "DROP FUNCTION provider_reliability_new_providers()",
]


def upgrade() -> None:
    """Swap the triggers in the migration's transaction: the figures stay as they are."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in [*previous.POSTGRES_DOWN, *POSTGRES_UP]:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in [*POSTGRES_DOWN, *previous.POSTGRES_UP]:
        op.execute(statement)
