"""A reader that stops early (``kpotui list providers | head -1``) ends the command
quietly: status 0 and nothing on stderr, whatever the command and the output format.

These run the real command in a child process writing into a real pipe. On Linux the
pipe is shrunk to one page, so that a few kilobytes of output already fill it and the
child is still writing when the reader goes away.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kpotui.cli import main
from tests.interchange.conftest import SAMPLE_TOML

RUN_CLI = "from kpotui.cli import main; main()"


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("pipe") / "sample.db")
    result = CliRunner().invoke(main, ["--db", path, "import", str(SAMPLE_TOML)])
    assert result.exit_code == 0, result.output
    return path


def _small_pipe() -> tuple[int, int]:
    read_end, write_end = os.pipe()
    if hasattr(fcntl, "F_SETPIPE_SZ"):
        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    return read_end, write_end


def run_into_pipe(db: str, args: list[str], *, read_first_line: bool) -> tuple[int, str]:
    """Run ``kpotui --db DB ARGS`` into a pipe whose reader reads a little and closes (as
    ``head -1`` does), or closes before the child writes anything; status and stderr."""
    read_end, write_end = _small_pipe()
    env = os.environ | {"KPOTUI_TODAY": "2025-06-30"}
    child = subprocess.Popen(
        [sys.executable, "-c", RUN_CLI, "--db", db, *args],
        stdout=write_end,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(write_end)
    if read_first_line:
        assert os.read(read_end, 100)  # far less than is written, as head reads
    os.close(read_end)
    _, err = child.communicate(timeout=60)
    return child.returncode, err.decode()


@pytest.mark.parametrize(
    "args",
    [
        ["list", "deliverables"],
        ["list", "deliverables", "--format", "json"],
        ["export", "--format", "json"],
    ],
)
def test_a_long_output_stops_quietly_when_the_reader_does(
    sample_file: str, args: list[str]
) -> None:
    assert run_into_pipe(sample_file, args, read_first_line=True) == (0, "")


@pytest.mark.parametrize(
    "args",
    [
        ["report", "risk"],
        ["report", "overdue", "--format", "md"],
        ["report", "summary", "--format", "json"],
        ["setting", "list"],
    ],
)
def test_any_output_stops_quietly_when_nobody_reads_it(sample_file: str, args: list[str]) -> None:
    assert run_into_pipe(sample_file, args, read_first_line=False) == (0, "")
