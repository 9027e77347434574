"""On PostgreSQL, a write that waits for another session's lock says so and ends in the
sentence SQLite's writers end in; a role that may only read is told so in a sentence."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, make_url, text

from kpotui.cli import main
from kpotui.services import records, writes
from kpotui.services.errors import BusyError
from kpotui.store import open_store

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


@pytest.fixture
def locked_provider(db_url: str) -> Iterator[tuple[int, threading.Event]]:
    """A provider whose row another session holds locked until the event is set."""
    store = open_store(db_url)
    record = writes.create(store, "provider", {"name": "Meridian"})
    store.close()
    engine = create_engine(db_url)
    release = threading.Event()
    locked = threading.Event()

    def hold() -> None:
        with engine.connect() as conn, conn.begin():
            conn.execute(text("SELECT 1 FROM provider WHERE id = :id FOR UPDATE"), record)
            locked.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(10)
    try:
        yield record["id"], release
    finally:
        release.set()
        holder.join()
        engine.dispose()


def test_a_save_held_up_too_long_says_it_waits_then_is_busy(
    db_url: str, locked_provider: tuple[int, threading.Event]
) -> None:
    provider_id, _ = locked_provider
    store = open_store(db_url, busy_timeout_ms=2_500)
    told: list[bool] = []
    store.on_wait = told.append
    try:
        with pytest.raises(BusyError, match="the database is busy; nothing was changed"):
            writes.update(store, "provider", provider_id, {"country": "Peru"}, version=1)
        assert told == [True, False]
        assert records.get(store, "provider", provider_id)["country"] is None
    finally:
        store.close()


def test_a_save_that_waits_less_than_the_timeout_is_saved(
    db_url: str, locked_provider: tuple[int, threading.Event]
) -> None:
    provider_id, release = locked_provider
    store = open_store(db_url)
    told: list[bool] = []
    store.on_wait = told.append
    threading.Timer(2.5, release.set).start()
    try:
        writes.update(store, "provider", provider_id, {"country": "Peru"}, version=1)
        assert told == [True, False]
        assert records.get(store, "provider", provider_id)["country"] == "Peru"
    finally:
        store.close()


@pytest.fixture
def reader_url(db_url: str) -> Iterator[str]:
    """The database, as a role granted SELECT and nothing more."""
    role = f"kpotui_reader_{uuid.uuid4().hex[:8]}"
    admin = create_engine(db_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        try:
            conn.execute(text(f"CREATE ROLE {role} LOGIN"))
        except Exception as exc:  # a server the tests may not create roles on
            pytest.skip(f"cannot create a role: {exc}")
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
        conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"))
    try:
        yield make_url(db_url).set(username=role).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))
        admin.dispose()


@pytest.mark.parametrize(
    "args", [["setting", "set", "due_soon_days", "20"], ["undo", "--yes"]], ids=["set", "undo"]
)
def test_a_role_that_may_only_read_is_refused_in_a_sentence(
    db_url: str, reader_url: str, args: list[str]
) -> None:
    store = open_store(db_url)
    writes.create(store, "provider", {"name": "Meridian"})  # something to undo
    store.close()
    listed = CliRunner().invoke(main, ["--db", reader_url, "list", "providers"])
    assert listed.exit_code == 0 and "Meridian" in listed.output
    result = CliRunner().invoke(main, ["--db", reader_url, *args])
    assert result.exit_code == 1
    assert result.output.startswith("kpotui: your database role may not do this (permission")
    assert result.output.endswith("; nothing was changed\n")
    assert result.output.count("\n") == 1
