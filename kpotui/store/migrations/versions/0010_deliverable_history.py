"""Provider reliability from each deliverable's history, not from its status today.

Two deliverable columns, kept by the write path (:mod:`kpotui.services.submissions`):
``first_submitted_date`` (the first submission's date, kept once the work is sent back)
and ``rework_rounds`` (times sent back). Existing deliverables start from what their
status says: first submitted on their submitted date, one round if in rework now.

``provider_reliability`` loses ``rework`` (deliverables in rework now: one sent back twice
and then accepted counted nothing) and gains ``accepted``, ``first_time_right`` (accepted
with no round of rework) and ``rework_rounds`` (summed); ``on_time`` now counts delivered
work whose first submission was on or before the due date. The triggers of 0005 (SQLite,
per row) and 0006 (PostgreSQL, per statement) are rebuilt on the new figures, and every
provider is counted again.

Revision ID: 0010
Revises: 0007
"""

import importlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

rows_0005 = importlib.import_module("kpotui.store.migrations.versions.0005_provider_reliability")
statements_0006 = importlib.import_module(
    "kpotui.store.migrations.versions.0006_rollup_per_statement"
)

COUNTS = (
    "deliverables",
    "delivered",
    "on_time",
    "quality_sum",
    "quality_count",
    "accepted",
    "first_time_right",
    "rework_rounds",
)
NEW_COUNTS = ("accepted", "first_time_right", "rework_rounds")
WATCHED = [
    "contract_id",
    "status",
    "due_date",
    "submitted_date",
    "quality_score",
    "first_submitted_date",
    "rework_rounds",
]
"""The deliverable columns the figures depend on."""


def _share(row: str) -> list[str]:
    """What one deliverable (``row``: NEW, OLD or an alias) adds to each of ``COUNTS``.
    A row written without a first submission (by another tool) counts its submission."""
    first = f"coalesce({row}.first_submitted_date, {row}.submitted_date)"
    return [
        "1",
        f"CASE WHEN {row}.submitted_date IS NULL THEN 0 ELSE 1 END",
        f"CASE WHEN {row}.submitted_date IS NOT NULL AND {first} <= {row}.due_date"
        " THEN 1 ELSE 0 END",
        f"coalesce({row}.quality_score, 0)",
        f"CASE WHEN {row}.quality_score IS NULL THEN 0 ELSE 1 END",
        f"CASE WHEN {row}.status = 'accepted' THEN 1 ELSE 0 END",
        f"CASE WHEN {row}.status = 'accepted' AND {row}.rework_rounds = 0 THEN 1 ELSE 0 END",
        f"{row}.rework_rounds",
    ]


RECOUNT = f"""UPDATE provider_reliability SET ({", ".join(COUNTS)}) = (
    SELECT count(d.id), {", ".join(f"coalesce(sum({share}), 0)" for share in _share("d")[1:])}
    FROM contract c JOIN deliverable d ON d.contract_id = c.id
    WHERE c.provider_id = provider_reliability.provider_id)"""
"""Count every provider's figures from the deliverables (a WHERE after it: some)."""


# -- SQLite: 0005's row triggers on the new figures ----------------------------------------


def _row_apply(row: str, sign: str, provider: str) -> str:
    sets = ", ".join(f"{c} = {c} {sign} {e}" for c, e in zip(COUNTS, _share(row), strict=True))
    return f"UPDATE provider_reliability SET {sets} WHERE provider_id = {provider}"


PROVIDER_OF = rows_0005.PROVIDER_OF
SQLITE_UP = [
    f"""CREATE TRIGGER provider_reliability_insert AFTER INSERT ON deliverable BEGIN
           {_row_apply("new", "+", PROVIDER_OF.format(row="new"))};
       END""",
    f"""CREATE TRIGGER provider_reliability_delete AFTER DELETE ON deliverable BEGIN
           {_row_apply("old", "-", PROVIDER_OF.format(row="old"))};
       END""",
    f"""CREATE TRIGGER provider_reliability_update AFTER UPDATE OF {", ".join(WATCHED)}
       ON deliverable BEGIN
           {_row_apply("old", "-", PROVIDER_OF.format(row="old"))};
           {_row_apply("new", "+", PROVIDER_OF.format(row="new"))};
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
]
"""0005's triggers but the one for new providers, which stays as it is."""
SQLITE_0005_UP = rows_0005.SQLITE_UP[1:]
SQLITE_0005_DOWN = rows_0005.SQLITE_DOWN[:4]


# -- PostgreSQL: 0006's statement triggers on the new figures ------------------------------


def _columns(alias: str) -> str:
    return ", ".join(f"{alias}.{name}" for name in WATCHED)


def _signed(alias: str, sign: str) -> str:
    return f"{sign} AS sign, {_columns(alias)}"


CHANGED = f"""old_rows o JOIN new_rows n USING (id)
    WHERE ({_columns("o")}) IS DISTINCT FROM ({_columns("n")})"""
ROWS = {
    "INSERT": f"SELECT {_signed('n', '1')} FROM new_rows n",
    "DELETE": f"SELECT {_signed('o', '-1')} FROM old_rows o",
    "UPDATE": f"SELECT {_signed('o', '-1')} FROM {CHANGED}\n"
    f"    UNION ALL SELECT {_signed('n', '1')} FROM {CHANGED}",
}


def _statement_apply(rows: str) -> str:
    """As 0006: the signed shares of ``rows`` summed per provider, one upsert each whose
    figures change, contracts read FOR SHARE in key order."""
    sums = ", ".join(
        f"sum(d.sign * ({share})) AS {name}"
        for name, share in zip(COUNTS, _share("d"), strict=True)
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


POSTGRES_UP = [
    f"""CREATE OR REPLACE FUNCTION provider_reliability_deliverables() RETURNS trigger
       LANGUAGE plpgsql AS $$ BEGIN
           IF TG_OP = 'INSERT' THEN
               {_statement_apply(ROWS["INSERT"])};
           ELSIF TG_OP = 'DELETE' THEN
               {_statement_apply(ROWS["DELETE"])};
           ELSE
               {_statement_apply(ROWS["UPDATE"])};
           END IF;
           RETURN NULL;
       END $$""",
    f"""CREATE OR REPLACE FUNCTION provider_reliability_moves() RETURNS trigger
       LANGUAGE plpgsql AS $$ BEGIN
           {RECOUNT}
           WHERE provider_id IN ({statements_0006.MOVED});
           RETURN NULL;
       END $$""",
]
"""The functions 0006's triggers run, on the new figures (the triggers stay)."""
POSTGRES_0006_UP = [
    s.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
    for s in statements_0006.POSTGRES_UP
    if s.startswith(
        (
            "CREATE FUNCTION provider_reliability_deliverables()",
            "CREATE FUNCTION provider_reliability_moves()",
        )
    )
]
"""0006's functions, as the downgrade puts them back."""


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if not postgres:
        for statement in SQLITE_0005_DOWN:
            op.execute(statement)
    op.add_column("deliverable", sa.Column("first_submitted_date", sa.Date(), nullable=True))
    op.add_column(
        "deliverable",
        sa.Column("rework_rounds", sa.Integer(), nullable=False, server_default="0"),
    )
    op.execute(
        "UPDATE deliverable SET first_submitted_date = submitted_date,"
        " rework_rounds = CASE WHEN status = 'rework' THEN 1 ELSE 0 END"
    )
    op.drop_column("provider_reliability", "rework")
    for name in NEW_COUNTS:
        op.add_column(
            "provider_reliability",
            sa.Column(name, sa.Integer(), nullable=False, server_default="0"),
        )
    op.execute(RECOUNT)
    for statement in POSTGRES_UP if postgres else SQLITE_UP:
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if not postgres:
        for statement in SQLITE_DOWN:
            op.execute(statement)
    for name in NEW_COUNTS:
        op.drop_column("provider_reliability", name)
    op.add_column(
        "provider_reliability",
        sa.Column("rework", sa.Integer(), nullable=False, server_default="0"),
    )
    op.drop_column("deliverable", "rework_rounds")
    op.drop_column("deliverable", "first_submitted_date")
    op.execute(rows_0005.RECOUNT)
    for statement in POSTGRES_0006_UP if postgres else SQLITE_0005_UP:
        op.execute(statement)
