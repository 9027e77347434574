"""Starting the app: a database that cannot be opened or does not exist, a config file
that is wrong."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpotui import config
from kpotui.cli import common, main
from kpotui.tui import app as tui_app
from kpotui.tui.app import run_app

START = "from kpotui.cli import main; main()"
ESCAPES = re.compile(r"\x1b\[[0-9;?<]*[a-zA-Z]")
"""Terminal control sequences (the app restoring the terminal before the message)."""


def test_a_database_that_cannot_be_opened_ends_with_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "notes.db"
    broken.write_text("not a database, a shopping list\n")
    done = subprocess.run(
        [sys.executable, "-c", START, "--db", str(broken)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    last_line = ESCAPES.split(done.stderr.rstrip().splitlines()[-1])[-1]  # after the app's
    assert last_line == f"kpotui: {broken}: cannot open: file is not a database"
    assert "Traceback" not in done.stderr
    assert broken.read_text() == "not a database, a shopping list\n"


def test_a_config_file_that_is_not_toml_stops_before_the_app(
    capsys: pytest.CaptureFixture[str],
) -> None:
    config.config_file().write_text("theme = \n")
    assert run_app(None, read_only=False, demo=False) == 1
    error = capsys.readouterr().err
    assert error.startswith("kpotui: config: ") and "not valid TOML" in error


def test_a_key_that_is_not_a_key_name_stops_before_the_app(
    capsys: pytest.CaptureFixture[str],
) -> None:
    config.config_file().write_text("[keys.app]\ncontracts = 2\n")
    assert run_app(None, read_only=False, demo=False) == 1
    assert "keys.app.contracts" in capsys.readouterr().err


def test_a_theme_the_app_lacks_stops_before_the_app(capsys: pytest.CaptureFixture[str]) -> None:
    config.config_file().write_text('theme = "no-such-theme"\n')
    assert run_app(None, read_only=False, demo=False) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith(f"kpotui: config: {config.config_file()}: theme: no theme")
    assert "'no-such-theme'" in error and "nord" in error and len(error.splitlines()) == 1


def test_a_mistyped_database_is_refused_without_a_terminal_to_ask_on(tmp_path: Path) -> None:
    typo = tmp_path / "typo-shraed.db"
    done = subprocess.run(
        [sys.executable, "-c", START, "--db", str(typo)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr == (
        f"kpotui: {typo}: no such database (run 'kpotui --db {typo} init' to create it)\n"
    )
    assert list(tmp_path.iterdir()) == []  # no file, no -wal, no -shm


@pytest.fixture
def app_runs(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The databases the app was started on, without starting it; stdin is a terminal."""
    started: list[str | None] = []

    def run(db: str | None, *, read_only: bool, demo: bool) -> int:
        started.append(db)
        return 0

    monkeypatch.setattr(tui_app, "run_app", run)
    monkeypatch.setattr(common, "stdin_is_terminal", lambda: True)
    return started


@pytest.mark.parametrize("answer", ["\n", "n\n"])
def test_a_missing_database_is_created_only_when_the_user_says_so(
    tmp_path: Path, app_runs: list[str | None], answer: str
) -> None:
    typo = tmp_path / "typo-shraed.db"
    result = CliRunner().invoke(main, ["--db", str(typo)], input=answer)
    assert result.exit_code == 1
    assert f"There is no database at {typo}. Create it? [y/N]" in result.output
    assert f"kpotui: {typo}: no such database" in result.output
    assert list(tmp_path.iterdir()) == [] and app_runs == []

    result = CliRunner().invoke(main, ["--db", str(typo)], input="y\n")
    assert result.exit_code == 0, result.output
    assert typo.is_file() and app_runs == [str(typo)]
    assert CliRunner().invoke(main, ["--db", str(typo), "db", "check"]).exit_code == 0


def test_an_existing_database_and_the_demo_open_without_a_question(
    tmp_path: Path, app_runs: list[str | None]
) -> None:
    demo = tmp_path / "demo.db"
    result = CliRunner().invoke(main, ["--db", str(demo), "demo"], input="")
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["--db", str(demo)], input="")
    assert result.exit_code == 0, result.output
    assert "Create it?" not in result.output
    assert app_runs == [str(demo), str(demo)]
