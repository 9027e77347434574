"""An app whose terminal hangs up leaves, even when the hang-up signal never reaches it
(``su``/``runuser`` in between keep it): it used to stay behind reading end-of-file,
using half a core for nobody, one per dropped SSH session."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="Linux terminals")

APP = [sys.executable, "-c", "from kpotui.cli import main; main()"]


def _ignore_hangup() -> None:
    """As a wrapper that keeps SIGHUP for itself: the app's own default would end it."""
    os.setsid()
    signal.signal(signal.SIGHUP, signal.SIG_IGN)


def _read_until(master: int, text: bytes, seconds: float) -> bytes:
    seen = b""
    end = time.monotonic() + seconds
    while text not in seen and time.monotonic() < end:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            seen += os.read(master, 65536)
    return seen


def test_the_app_leaves_when_its_terminal_hangs_up(tmp_path: Path) -> None:
    db = str(tmp_path / "firm.db")
    subprocess.run([*APP, "--db", db, "init"], check=True, capture_output=True)
    master, slave = pty.openpty()
    env = os.environ | {"TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    app = subprocess.Popen(
        [*APP, "--db", db],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        preexec_fn=_ignore_hangup,
    )
    os.close(slave)
    try:
        assert b"Dashboard" in _read_until(master, b"Dashboard", 60)
        os.close(master)  # the SSH session drops: the terminal hangs up
        app.wait(timeout=20)  # the check runs every 2 s
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    assert app.returncode == 1
