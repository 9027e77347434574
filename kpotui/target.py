"""Which database a command line names, and whether its file exists, worked out without
SQLAlchemy: the app asks before it starts (and so before the store loads) when a
mistyped ``--db`` names no file."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from kpotui import config, paths


def resolve_target(cli_value: str | None = None) -> str:
    """The database to use: ``--db``, else ``KPOTUI_DB``, else the config file, else default."""
    for candidate in (cli_value, os.environ.get("KPOTUI_DB"), config.get("db")):
        if candidate:
            return str(candidate)
    return str(paths.default_db_path())


def is_url(target: str) -> bool:
    return "://" in target


def short_name(target: str) -> str:
    """How the app's top bar names ``target``: a file's name, a server database's
    ``host/dbname`` (never its user or password), without loading SQLAlchemy."""
    if not is_url(target):
        return Path(target).name
    parts = urlsplit(target)
    database = parts.path.lstrip("/")
    if parts.scheme.startswith("sqlite"):
        return Path(database).name if database else "in memory"
    host = parts.hostname or ""
    return f"{host}/{database}" if host else database or parts.scheme


def sqlite_file(target: str) -> Path | None:
    """The SQLite file ``target`` names, or None for a server database (or an in-memory
    one). Raises ValueError for a URL SQLAlchemy cannot read (loading SQLAlchemy only for
    a URL)."""
    if not is_url(target):
        return Path(target).expanduser().resolve()
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(target)
    except ArgumentError as exc:
        raise ValueError(f"{target}: not a database URL") from exc
    if url.get_backend_name() == "sqlite" and url.database:
        return Path(url.database).expanduser().resolve()
    return None


def no_such_database(path: Path) -> str:
    """What the CLI and the app say of a database file that does not exist."""
    return f"{path}: no such database (run 'kpotui --db {path} init' to create it)"


def write_refusal(path: Path) -> str | None:
    """Why this account cannot change the SQLite file at ``path``, or None when it can (or
    the file does not exist yet). Cheap: the app asks before its first frame."""
    if not path.exists():
        return None
    if not os.access(path, os.W_OK):
        return f"you may not write to {path}"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return (
            f"you may not create files in {path.parent}, where SQLite keeps "
            f"{path.name}-wal and -shm while the database is changed"
        )
    return None


def read_only_reason(target: str | None) -> str | None:
    """Why the database ``target`` names (None: the configured one) can only be read by
    this account; None when it can be written, is a server database, or cannot be told."""
    try:
        path = sqlite_file(resolve_target(target))
    except ValueError:
        return None
    return None if path is None else write_refusal(path)
