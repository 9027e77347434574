"""Starting the app: a database that cannot be opened, a config file that is wrong."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kpotui import config
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
