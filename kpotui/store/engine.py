"""The :class:`Store`: one database, opened safely for several users at once.

SQLite is opened so that concurrent writers on a shared server never lose an update:

* WAL journal, ``foreign_keys=ON``, a busy timeout, ``synchronous=FULL``;
* the driver's own transaction handling is switched off and every transaction is begun
  explicitly: ``BEGIN IMMEDIATE`` for writes (a deferred transaction that later upgrades to
  a writer fails with "database is locked" instead of waiting), plain ``BEGIN`` for reads;
* a pool check-in guard rolls back any connection returned while still inside a
  transaction, so a failed commit can never be committed later by the next user of that
  pooled connection.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from kpotui import config, paths
from kpotui.store import postgres

BUSY_TIMEOUT_MS = 30_000
"""How long a writer waits for another writer before giving up."""

_WRITE_OPTION = "kpotui_write"


class StoreError(Exception):
    """The database cannot be opened or used as asked; the message says why."""


class ReadOnlyError(StoreError):
    """A write was attempted on a store opened read-only."""


def resolve_target(cli_value: str | None = None) -> str:
    """The database to use: ``--db``, else ``KPOTUI_DB``, else the config file, else default."""
    for candidate in (cli_value, os.environ.get("KPOTUI_DB"), config.get("db")):
        if candidate:
            return str(candidate)
    return str(paths.default_db_path())


def is_url(target: str) -> bool:
    return "://" in target


@dataclass
class Store:
    """An open database. Services receive it and ask it for connections."""

    engine: Engine
    path: Path | None
    """The SQLite file, or None for a server database."""
    read_only: bool = False
    upgraded_from: str | None = None
    """The schema revision this store was upgraded from when it was opened, if it was."""
    upgrade_backup: Path | None = None
    """The backup taken before that upgrade."""
    warnings: list[str] = field(default_factory=list)
    """Problems worth telling the user about that do not stop the work (file permissions)."""
    _writer: Engine = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._writer = self.engine.execution_options(**{_WRITE_OPTION: True})

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def display_name(self) -> str:
        if self.path is not None:
            return str(self.path)
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection inside a read transaction (one consistent snapshot)."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A connection inside a write transaction, committed when the block ends cleanly."""
        if self.read_only:
            raise ReadOnlyError(f"{self.display_name} is open read-only")
        with self._writer.connect() as conn, conn.begin():
            yield conn

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_engine(path: Path, *, read_only: bool, busy_timeout_ms: int) -> Engine:
    from kpotui.store.permissions import match_companions

    url = f"sqlite:///file:{path}?mode=ro&uri=true" if read_only else f"sqlite:///{path}"
    engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()
        if not read_only:
            match_companions(path)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        writing = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_conn: Any, _record: Any) -> None:
        if dbapi_conn is not None and dbapi_conn.in_transaction:
            dbapi_conn.rollback()

    return engine


def create_db_file(path: Path) -> None:
    """Create an empty database file, private (or shared with the config's group) from the
    first byte, before SQLite opens it."""
    from kpotui.store.permissions import secure_new_file

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        secure_new_file(path)
    except BaseException:
        path.unlink()
        raise


def open_store(
    target: str | None = None,
    *,
    read_only: bool = False,
    create: bool = True,
    upgrade: bool = True,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
) -> Store:
    """Open the database at ``target`` (path or SQLAlchemy URL; None = the configured one).

    A new SQLite file is created with mode 0600 (0660 with a shared group) when ``create``
    is true. A file on a network filesystem is refused; one that every account may read
    is opened with a warning in ``store.warnings``. The schema is
    brought to the newest revision when ``upgrade`` is true (taking a backup first when an
    existing database is upgraded); otherwise an out-of-date schema is an error.
    """
    from kpotui.store import migrate, permissions

    target = target or resolve_target()
    path: Path | None = None
    if is_url(target):
        try:
            url = make_url(target)
        except ArgumentError as exc:
            raise StoreError(f"{target}: not a database URL") from exc
        if url.get_backend_name() == "sqlite" and url.database:
            path = Path(url.database).expanduser().resolve()
    else:
        path = Path(target).expanduser().resolve()

    if path is not None:
        if path.is_dir():
            raise StoreError(f"{path}: is a directory, not a database file")
        permissions.refuse_network_fs(path)
        if not path.exists():
            if read_only or not create:
                raise StoreError(f"{path}: no such database (run 'kpotui --db {path} init')")
            create_db_file(path)
        elif not read_only:
            permissions.refuse_unwritable(path)
        engine = _sqlite_engine(path, read_only=read_only, busy_timeout_ms=busy_timeout_ms)
    else:
        try:
            engine = create_engine(target, pool_pre_ping=True)
        except (ArgumentError, ImportError) as exc:
            raise StoreError(f"cannot open {target}: {exc}") from exc
        if engine.dialect.name == "postgresql":
            postgres.copy_plain_inserts(engine)

    store = Store(engine=engine, path=path, read_only=read_only)
    try:
        migrate.ensure_schema(store, upgrade=upgrade and not read_only)
    except Exception:
        store.close()
        raise
    if path is not None:
        exposed = permissions.world_access_problem(path)
        if exposed:
            store.warnings.append(exposed)
    return store
