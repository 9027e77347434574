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
import sqlite3
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import ArgumentError, DisconnectionError
from sqlalchemy.pool import QueuePool

from kpotui.services.errors import BusyError
from kpotui.store import postgres
from kpotui.target import no_such_database, resolve_target, sqlite_file

BUSY_TIMEOUT_MS = 30_000
"""How long a writer waits for another writer before giving up (:class:`BusyError`)."""
WAIT_NOTICE_MS = 1_000
"""How long a writer waits before the store says so (``Store.on_wait``)."""

_WRITE_OPTION = "kpotui_write"
_WAIT_OPTION = "kpotui_on_wait"
_STAMPS_OPTION = "kpotui_stamps"
STAMPS_KEPT = 1_000
"""Audit stamps a store remembers of its own writes (one per write of a kind of record)."""


class StoreError(Exception):
    """The database cannot be opened or used as asked; the message says why."""


class ReadOnlyError(StoreError):
    """A write was attempted on a store opened read-only."""


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
    on_wait: Callable[[bool], None] | None = None
    """Told True when a write has waited ``WAIT_NOTICE_MS`` for another writer, and False
    when that wait is over, either way (SQLite: from the writing thread; PostgreSQL: from a
    thread that watches the write's locks)."""
    stamps: deque[Any] = field(default_factory=lambda: deque(maxlen=STAMPS_KEPT), repr=False)
    """The times this store's writes stamped their audit events with, newest last (see
    :mod:`kpotui.services.changes`): what tells its own changes from other sessions'."""
    _writer: Engine = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._writer = self.engine.execution_options(
            **{_WRITE_OPTION: True, _WAIT_OPTION: self._waiting, _STAMPS_OPTION: self.stamps}
        )

    def _waiting(self, waiting: bool) -> None:
        if self.on_wait is not None:
            self.on_wait(waiting)

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


def remember_stamp(conn: Connection, stamp: Any) -> None:
    """Remember ``stamp`` in the store whose write transaction ``conn`` is in."""
    stamps = conn.get_execution_options().get(_STAMPS_OPTION)
    if stamps is not None:
        stamps.append(stamp)


def _sqlite_engine(path: Path, *, read_only: bool, busy_timeout_ms: int) -> Engine:
    from kpotui.store.permissions import match_companions

    if read_only:
        engine = create_engine(
            "sqlite://",
            creator=lambda: connect_read_only(path, busy_timeout_ms),
            poolclass=QueuePool,
        )

        @event.listens_for(engine, "checkout")
        def _on_checkout(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
            """A -wal has come or gone since this connection chose: connect again."""
            if dbapi_conn.immutable == _has_wal(path):
                raise DisconnectionError("the way in to read-only no longer fits")

    else:
        engine = create_engine(
            f"sqlite:///{path}", connect_args={"timeout": busy_timeout_ms / 1000}
        )

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
        options = conn.get_execution_options()
        if options.get(_WRITE_OPTION, False):
            _begin_writing(conn, busy_timeout_ms, options.get(_WAIT_OPTION))
        else:
            conn.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> BusyError | None:
        """Every "database is locked", wherever it comes from, as the one sentence."""
        error = context.original_exception
        busy = (
            isinstance(error, sqlite3.OperationalError)
            and getattr(error, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_BUSY
        )
        return BusyError() if busy else None

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_conn: Any, _record: Any) -> None:
        if dbapi_conn is not None and dbapi_conn.in_transaction:
            dbapi_conn.rollback()

    return engine


class _ReadOnlyConnection(sqlite3.Connection):
    immutable = False
    """Opened with ``immutable=1`` (else ``mode=ro`` alone)."""


def _has_wal(path: Path) -> bool:
    return path.with_name(path.name + "-wal").exists()


def connect_read_only(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """A connection that reads ``path`` and creates nothing next to it.

    While a ``-wal`` exists, someone has the database open or left changes in it that are
    not in the file yet: ``mode=ro`` reads them, and uses the ``-shm`` as it is. Without
    one, nobody has it open, and ``mode=ro`` would create a ``-wal`` and ``-shm`` this
    account owns and cannot remove, which stop their owner from writing; ``immutable=1``
    reads the file alone and creates nothing. (SQLite trusts that an immutable file does
    not change while it is read: a store checks at each read whether a ``-wal`` has come or
    gone, and connects again when one has.)
    """
    immutable = not _has_wal(path)
    uri = f"file:{quote(str(path))}?mode=ro" + ("&immutable=1" if immutable else "")
    conn = sqlite3.connect(
        uri,
        uri=True,
        timeout=busy_timeout_ms / 1000,
        check_same_thread=False,
        factory=_ReadOnlyConnection,
    )
    conn.immutable = immutable
    return conn


def _refuse_unreadable_companions(path: Path) -> None:
    """SQLite cannot read a database someone has open without its ``-wal`` and ``-shm``."""
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists() and not os.access(extra, os.R_OK):
            raise StoreError(
                f"{extra}: you may not read this file, which SQLite needs to read "
                f"{path.name} while someone has it open"
            )


def _begin_writing(
    conn: Connection, busy_timeout_ms: int, waiting: Callable[[bool], None] | None
) -> None:
    """``BEGIN IMMEDIATE``, waiting up to the busy timeout for another writer; after
    ``WAIT_NOTICE_MS`` of it, ``waiting`` is told, so that a person is not left guessing."""
    patience = min(WAIT_NOTICE_MS, busy_timeout_ms)
    if waiting is None or patience == busy_timeout_ms:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        return
    conn.exec_driver_sql(f"PRAGMA busy_timeout = {patience}")
    try:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except BusyError:
            pass
        waiting(True)
        try:
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {busy_timeout_ms - patience}")
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        finally:
            waiting(False)
    finally:
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {busy_timeout_ms}")


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


def _missing_driver(target: str, exc: ImportError) -> str:
    """What to install when the URL's database driver is missing."""
    if target.startswith("postgresql") and (exc.name or "").startswith("psycopg"):
        return "PostgreSQL needs the driver: pip install 'kpotui[postgres]'"
    return f"cannot open the database: its driver ({exc.name or exc}) is not installed"


def open_store(
    target: str | None = None,
    *,
    read_only: bool = False,
    create: bool = True,
    upgrade: bool = True,
    busy_timeout_ms: int | None = None,
) -> Store:
    """Open the database at ``target`` (path or SQLAlchemy URL; None = the configured one).

    A new SQLite file is created with mode 0600 (0660 with a shared group) when ``create``
    is true. A file on a network filesystem is refused; one that every account may read
    is opened with a warning in ``store.warnings``. The schema is
    brought to the newest revision when ``upgrade`` is true (taking a backup first when an
    existing database is upgraded); otherwise an out-of-date schema is an error.
    """
    from kpotui.store import migrate, permissions

    if busy_timeout_ms is None:
        busy_timeout_ms = BUSY_TIMEOUT_MS
    target = target or resolve_target()
    try:
        path = sqlite_file(target)
    except ValueError as exc:
        raise StoreError(str(exc)) from exc

    if path is not None:
        if path.is_dir():
            raise StoreError(f"{path}: is a directory, not a database file")
        permissions.refuse_network_fs(path)
        if not path.exists():
            if read_only or not create:
                raise StoreError(no_such_database(path))
            create_db_file(path)
        elif not read_only:
            permissions.refuse_unwritable(path)
        else:
            _refuse_unreadable_companions(path)
        engine = _sqlite_engine(path, read_only=read_only, busy_timeout_ms=busy_timeout_ms)
    else:
        try:
            engine = create_engine(target, pool_pre_ping=True)
        except ImportError as exc:
            raise StoreError(_missing_driver(target, exc)) from exc
        except ArgumentError as exc:
            raise StoreError(f"cannot open {target}: {exc}") from exc
        if engine.dialect.name == "postgresql":
            postgres.copy_plain_inserts(engine)
            postgres.plain_write_failures(
                engine,
                busy_timeout_ms=busy_timeout_ms,
                notice_ms=WAIT_NOTICE_MS,
                write_option=_WRITE_OPTION,
                wait_option=_WAIT_OPTION,
            )

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
