"""init, db path/check/upgrade, config, backup — and a fast, light `kpotui --help`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from kpotui.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_init_then_check_reports_healthy(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    assert run("--db", db, "init") == (0, f"database ready: {db}\n")
    code, out = run("--db", db, "db", "check")
    assert (code, out) == (0, f"healthy: {db}\n")


def test_check_of_a_missing_database_fails_without_creating_it(tmp_path: Path) -> None:
    code, out = run("--db", str(tmp_path / "none.db"), "db", "check")
    assert code == 1
    assert "no such database" in out
    assert not (tmp_path / "none.db").exists()


def test_check_finds_broken_references(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "x.db"
    run("--db", str(db), "init")
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(
            "INSERT INTO contract (code, title, provider_id, service_line, status, start_date,"
            " currency, auto_renew, nda_signed, compliance, created_at, updated_at, version)"
            " VALUES ('ENG-X', 'x', 42, 'legal', 'draft', '2025-01-01', 'EUR', 0, 0, '[]',"
            " '2025-01-01', '2025-01-01', 1)"
        )
    code, out = run("--db", str(db), "db", "check")
    assert code == 1
    assert "broken reference: contract row 1 -> missing provider" in out


def test_db_path_follows_flag_and_environment(tmp_path: Path) -> None:
    assert run("--db", "/srv/kpo.db", "db", "path") == (0, "/srv/kpo.db\n")
    result = CliRunner().invoke(main, ["db", "path"], env={"KPOTUI_DB": "/srv/env.db"})
    assert result.output == "/srv/env.db\n"


def test_db_upgrade_on_a_current_database(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    run("--db", db, "init")
    code, out = run("--db", db, "db", "upgrade")
    assert code == 0 and "already current" in out


def test_config_set_get_and_refusals() -> None:
    assert run("config", "get", "theme") == (0, "textual-dark\n")
    assert run("config", "set", "theme", "nord")[0] == 0
    assert run("config", "get", "theme") == (0, "nord\n")
    assert run("config", "set", "allow_network_fs", "yes")[0] == 0
    assert run("config", "get", "allow_network_fs") == (0, "true\n")
    code, out = run("config", "set", "colour", "blue")
    assert code == 1 and out.startswith("kpotui: unknown setting 'colour'")
    code, out = run("config", "set", "allow_network_fs", "perhaps")
    assert code == 1 and "expected true or false" in out


def test_backup_is_private_and_a_real_copy(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "x.db"
    run("--db", str(db), "init")
    code, out = run("--db", str(db), "backup", str(tmp_path / "copy.db"))
    assert code == 0, out
    copy = tmp_path / "copy.db"
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    code, out = run("--db", str(db), "backup", str(copy))
    assert code == 1 and "already exists" in out


def test_help_imports_neither_sqlalchemy_nor_textual() -> None:
    probe = (
        "import sys; from kpotui.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(__import__('json').dumps(sorted(m for m in sys.modules"
        " if m.split('.')[0] in ('sqlalchemy', 'sqlmodel', 'textual', 'alembic'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out.splitlines()[-1]) == []
