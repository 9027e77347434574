"""Schema creation and upgrades with the Alembic migrations shipped in this package.

An upgrade of an existing SQLite database first takes a backup, then runs every migration
in one transaction with foreign keys switched off (so a batch migration that rebuilds a
table can never cascade deletes into child rows), checks ``PRAGMA foreign_key_check`` and
commits only if it is clean. Any failure rolls back: schema and data stay as they were.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, inspect
from sqlalchemy.exc import DBAPIError

from kpotui.store.engine import _WRITE_OPTION, Store, StoreError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
HEAD_REVISION = "0016"
"""The newest revision; a test checks it matches Alembic's head."""


class MigrationError(StoreError):
    """An upgrade failed and was rolled back."""


def current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _describe(exc: DBAPIError) -> str:
    return str(exc.orig).splitlines()[0] if exc.orig is not None else str(exc)


def schema_state(store: Store) -> tuple[str | None, bool]:
    """(current revision, whether the database has any tables at all)."""
    try:
        with store.read() as conn:
            return current_revision(conn), bool(inspect(conn).get_table_names())
    except DBAPIError as exc:
        raise StoreError(f"{store.display_name}: cannot open: {_describe(exc)}") from exc


def ensure_schema(store: Store, *, upgrade: bool) -> None:
    """Make sure the schema is current, upgrading (with a backup) when allowed.

    Records what was done in ``store.upgraded_from`` and ``store.upgrade_backup``.
    """
    revision, has_tables = schema_state(store)
    if revision == HEAD_REVISION:
        return
    if revision is None and has_tables:
        raise StoreError(f"{store.display_name}: not a kpotui database (it has other tables)")
    if revision is not None and not _is_known(revision):
        raise StoreError(
            f"{store.display_name}: schema revision {revision} is newer than this kpotui "
            "knows; upgrade kpotui"
        )
    if not upgrade:
        raise StoreError(
            f"{store.display_name}: schema is at revision {revision or 'none'}, "
            f"needs {HEAD_REVISION}; run 'kpotui db upgrade'"
        )
    store.upgrade_backup = upgrade_schema(store)
    store.upgraded_from = revision


def _is_known(revision: str) -> bool:
    return any(
        p.name.startswith(f"{revision}_") for p in (MIGRATIONS_DIR / "versions").glob("*.py")
    )


@contextmanager
def _migration_connection(store: Store) -> Iterator[Connection]:
    """A connection with foreign keys off (SQLite) for the length of the migration."""
    with store.engine.execution_options(**{_WRITE_OPTION: True}).connect() as conn:
        sqlite = store.dialect == "sqlite"
        raw = conn.connection.dbapi_connection
        if sqlite and raw is not None:
            raw.execute("PRAGMA foreign_keys = OFF")  # only possible outside a transaction
        try:
            yield conn
        finally:
            if sqlite and raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")


def upgrade_schema(store: Store, target: str = "head") -> Path | None:
    """Upgrade to ``target``; returns the backup taken first (None for a new database)."""
    from alembic import command
    from alembic.config import Config

    from kpotui.store.backup import backup

    revision, _ = schema_state(store)
    backup_path = None
    if revision is not None and store.path is not None:
        backup_path = backup(store, label=f"pre-upgrade-{revision}")
    try:
        with _migration_connection(store) as conn, conn.begin():
            cfg = Config()
            cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, target)
            if store.dialect == "sqlite":
                problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise MigrationError(
                        f"upgrade would leave {len(problems)} broken references "
                        f"(first: {tuple(problems[0])}); rolled back"
                    )
    except MigrationError:
        raise
    except Exception as exc:
        kept = f"; backup at {backup_path}" if backup_path else ""
        raise MigrationError(f"upgrade failed and was rolled back: {exc}{kept}") from exc
    return backup_path
