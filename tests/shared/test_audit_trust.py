"""Point 7: an audit trail you can trust. The database itself refuses to change or remove
an event, whoever connects; the actor is the OS account, not what ``$USER`` claims."""

from __future__ import annotations

import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from kpotui.services import audit, history, writes
from kpotui.store import Store, open_store
from tests.shared.accounts import as_account, exit_status

TAMPERING = [
    "UPDATE audit_event SET actor = 'mallory'",
    "UPDATE audit_event SET changes = '{}' WHERE action = 'delete'",
    "DELETE FROM audit_event",
    "DELETE FROM audit_event WHERE action = 'delete'",
]


def _some_history(store: Store) -> list[dict[str, object]]:
    provider = writes.create(store, "provider", {"name": "Meridian", "country": "India"})
    writes.update(store, "provider", provider["id"], {"country": "Peru"}, version=1)
    writes.delete(store, "provider", provider["id"], version=2)
    return audit.recent(store)


@pytest.mark.parametrize("statement", TAMPERING)
def test_the_store_cannot_change_or_remove_an_event(store: Store, statement: str) -> None:
    before = _some_history(store)
    with pytest.raises(Exception, match="append-only"), store.write() as conn:
        conn.execute(text(statement))
    assert audit.recent(store) == before


def test_a_connection_that_bypasses_kpotui_is_refused_too(db_url: str) -> None:
    store = open_store(db_url)
    before = _some_history(store)
    if store.dialect == "sqlite":
        with sqlite3.connect(db_url) as raw:
            for statement in TAMPERING:
                with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                    raw.execute(statement)
    else:
        engine = create_engine(db_url)
        for statement in [*TAMPERING, "TRUNCATE audit_event"]:
            with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
                conn.execute(text(statement))
        engine.dispose()
    assert audit.recent(store) == before
    store.close()


def test_every_write_leaves_one_event_saying_who_what_and_from_what(store: Store) -> None:
    events = list(reversed(_some_history(store)))
    me = pwd.getpwuid(os.geteuid()).pw_name
    assert [(e["actor"], e["action"], e["kind"], e["key"]) for e in events] == [
        (me, "create", "provider", "Meridian"),
        (me, "update", "provider", "Meridian"),
        (me, "delete", "provider", "Meridian"),
    ]
    created = {"name": [None, "Meridian"], "country": [None, "India"]}
    changed = {"country": ["India", "Peru"]}
    removed = {"name": ["Meridian", None], "country": ["Peru", None]}
    # A create event holds no values, whoever wrote it; the history derives them.
    assert [e["changes"] for e in events] == [{}, changed, removed]
    derived = history.record_history(store, "provider", events[0]["record_id"])
    assert [e["changes"] for e in derived] == [created, changed, removed]


def test_the_actor_is_the_os_account_not_what_the_environment_claims(tmp_path: Path) -> None:
    path = tmp_path / "who.db"
    open_store(str(path)).close()
    script = (
        "from kpotui.store import open_store; from kpotui.services import writes; "
        f"s = open_store({str(path)!r}); writes.create(s, 'provider', {{'name': 'X'}})"
    )
    spoofed = os.environ | {"USER": "mallory", "LOGNAME": "mallory", "USERNAME": "mallory"}
    subprocess.run([sys.executable, "-c", script], env=spoofed, check=True, timeout=60)
    with sqlite3.connect(path) as conn:
        actors = conn.execute("SELECT actor FROM audit_event").fetchall()
    assert actors == [(pwd.getpwuid(os.geteuid()).pw_name,)]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as another account")
def test_a_change_made_by_another_account_is_recorded_as_that_account() -> None:
    outside = Path(tempfile.mkdtemp(prefix="kpotui-audit-"))
    try:
        outside.chmod(0o777)
        path = outside / "who.db"
        open_store(str(path)).close()
        path.chmod(0o666)
        nobody = pwd.getpwnam("nobody")

        def write_as_nobody() -> None:
            os.environ["USER"] = "root"  # claims to be root
            os.environ["KPOTUI_CONFIG"] = str(outside / "no-config.toml")
            store = open_store(str(path))
            writes.create(store, "provider", {"name": "By nobody"})
            store.close()

        assert exit_status(as_account(nobody.pw_uid, [nobody.pw_gid], write_as_nobody)) == 0
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT actor FROM audit_event").fetchall() == [("nobody",)]
    finally:
        shutil.rmtree(outside)
