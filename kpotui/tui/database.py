"""The database the app works on, opened on first use (from a worker thread).

Opening a store imports SQLAlchemy and checks the schema; doing it lazily lets the first
frame paint before any of that work. Everything the screens know about the database goes
through :meth:`AppDatabase.store` and the services.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, cast

from kpotui.target import short_name

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from kpotui.services.changes import Marker
    from kpotui.store import Store

READ_ONLY_REASON = "opened with --read-only: viewing only, nothing can be changed"


class CannotOpen(Exception):
    """The database cannot be opened; the message says which and why, in one line."""


class AppDatabase:
    """One database for the lifetime of the app."""

    def __init__(self, db: str | None, *, read_only: bool) -> None:
        self.db = db
        """Path or URL as given (None: KPOTUI_DB, the config file, then the default)."""
        self.read_only_reason = READ_ONLY_REASON if read_only else _cannot_write(db)
        """Why nothing can be changed, when nothing can (``--read-only``, or a file this
        account may not write: known before the first frame, so the top bar says so)."""
        self.label = _label(db)
        """Short name of the database for the top bar; known for sure once opened."""
        self.open_error: str | None = None
        """Why the database could not be opened, once that has happened."""
        self.on_warning: Callable[[str], None] | None = None
        """Told each warning of the store once it is open (from the opening thread)."""
        self.on_wait: Callable[[bool], None] | None = None
        """Told when a write starts and stops waiting for another writer (``Store.on_wait``,
        from another thread)."""
        self.marker: Marker | None = None
        """The change marker read as the database was opened, before any screen read from
        it: others' changes are looked for from there (:mod:`kpotui.tui.watch`)."""
        self._store: Store | None = None
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        """True once the store is open (and not closed)."""
        return self._store is not None

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    def store(self) -> Store:
        """The open store, opening it on the first call (blocking: call from a worker)."""
        with self._lock:
            if self._store is None:
                self._store = self._open()
            return self._store

    def _open(self) -> Store:
        from kpotui.config import ConfigError
        from kpotui.store import StoreError, open_store

        try:
            # never creates a file: ``kpotui`` asked before the app started (cli.common)
            store = open_store(self.db, read_only=self.read_only, create=False)
        except (StoreError, ConfigError) as exc:
            self.open_error = str(exc)
            raise CannotOpen(self.open_error) from exc
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            self.open_error = f"{where}{exc.strerror or exc}"
            raise CannotOpen(self.open_error) from exc
        from kpotui.services import changes

        self.marker = changes.marker(store)
        self.label = short_name(store.display_name)
        store.on_wait = self.on_wait
        for warning in store.warnings:
            if self.on_warning is not None:
                self.on_warning(warning)
        return store

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None


def _label(db: str | None) -> str:
    """The top bar's name for ``db`` before it is open (empty if the config file is wrong:
    opening the store says why)."""
    from kpotui.config import ConfigError
    from kpotui.target import resolve_target

    try:
        return short_name(resolve_target(db))
    except ConfigError:
        return ""


def _cannot_write(db: str | None) -> str | None:
    """Why the app opens ``db`` read-only although ``--read-only`` was not given, if so."""
    from kpotui.config import ConfigError
    from kpotui.target import read_only_reason

    try:
        reason = read_only_reason(db)
    except ConfigError:
        return None  # opening the store reports it
    return None if reason is None else f"opened read-only: {reason}"


class HasDatabase(Protocol):
    database: AppDatabase


def database_of(node: DOMNode) -> AppDatabase:
    """The database of the app ``node`` belongs to."""
    return cast(HasDatabase, node.app).database
