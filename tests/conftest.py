"""Shared fixtures: an isolated environment, and a fresh store on SQLite and PostgreSQL.

PostgreSQL runs when ``--postgres URL`` or ``KPOTUI_TEST_POSTGRES_URL`` names a server
(``.ci/run`` starts a throwaway cluster); otherwise those cases are skipped, saying why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from kpotui import config
from kpotui.services import audit
from kpotui.store import Store, open_store

POSTGRES_ENV = "KPOTUI_TEST_POSTGRES_URL"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgres",
        default=os.environ.get(POSTGRES_ENV),
        help=f"SQLAlchemy URL of a PostgreSQL database to run the backend tests on "
        f"(default: ${POSTGRES_ENV}).",
    )


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's config or database."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("KPOTUI_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("KPOTUI_DB", raising=False)
    monkeypatch.delenv("KPOTUI_TODAY", raising=False)
    config.reload()  # settings are read once per process: forget the last test's


@pytest.fixture(scope="session")
def postgres_template(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """A migrated template database; each test gets a copy (CREATE DATABASE ... TEMPLATE).

    Each process (each xdist worker) makes its own under a random name and drops it at the
    end, so workers never share one (a template cannot be copied while it is in use).
    """
    url = request.config.getoption("--postgres")
    if not url:
        yield None
        return
    from sqlalchemy import create_engine, make_url, text

    base = make_url(url)
    name = f"kpotui_tpl_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    template_url = base.set(database=name).render_as_string(hide_password=False)
    open_store(template_url).close()
    admin.dispose()
    yield template_url
    _postgres_drop(template_url, name)


def _postgres_copy(template_url: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, make_url, text

    template = make_url(template_url)
    name = f"kpotui_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(template.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template.database}"'))
    admin.dispose()
    return template.set(database=name).render_as_string(hide_password=False), name


def _postgres_drop(template_url: str, name: str) -> None:
    from sqlalchemy import create_engine, make_url, text

    admin = create_engine(
        make_url(template_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_template: str | None
) -> Iterator[str]:
    """A fresh, migrated database on each backend: a file path or a PostgreSQL URL."""
    if request.param == "sqlite":
        path = tmp_path / "kpotui.db"
        open_store(str(path)).close()
        yield str(path)
        return
    if postgres_template is None:
        pytest.skip(f"no PostgreSQL configured (set {POSTGRES_ENV} or pass --postgres URL)")
    url, name = _postgres_copy(postgres_template)
    try:
        yield url
    finally:
        _postgres_drop(postgres_template, name)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An open, empty store on each backend."""
    opened = open_store(db_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def as_user(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``with as_user("bea"):`` makes the services see another OS account meanwhile."""

    @contextmanager
    def switch(name: str) -> Iterator[None]:
        real = audit.current_actor
        monkeypatch.setattr(audit, "current_actor", lambda: name)
        try:
            yield
        finally:
            monkeypatch.setattr(audit, "current_actor", real)

    return switch
