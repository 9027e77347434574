"""Ways to time things: child processes (wall time and peak memory), first frames in a
pseudo-terminal, and medians."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

TERMINAL = (40, 120)
"""Rows and columns of the pseudo-terminal the TUI runs in."""


@dataclass(frozen=True)
class Child:
    """How one child process went."""

    seconds: float
    peak_mb: float | None
    """Peak resident memory, when asked for (see ``probes/peak.py``)."""
    output: str


PEAK_PROBE = Path(__file__).parent / "probes" / "peak.py"


def run_child(
    command: Sequence[str],
    env: Mapping[str, str] | None = None,
    *,
    until: str | None = None,
    memory: bool = False,
) -> Child:
    """Run ``command``; its wall time from start to exit (or to the first output line
    starting with ``until``) and, with ``memory``, its peak memory measured through
    ``probes/peak.py`` (which adds its own start, ~20 ms, to the time). Fails loudly if
    it fails."""
    if memory:
        command = [sys.executable, str(PEAK_PROBE), *command]
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=dict(env) if env else None, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    seconds = None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if until is not None and seconds is None and line.startswith(until):
            seconds = time.perf_counter() - start
    _, status, _ = os.wait4(process.pid, 0)
    total = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed with status {process.returncode}")
    if until is not None and seconds is None:
        raise RuntimeError(f"{' '.join(command)} never printed {until!r}")
    output, peak_mb = "".join(lines), None
    if memory:
        output, _, peak_kib = output.rpartition("peak-kib ")
        peak_mb = int(peak_kib) / 1024
    return Child(seconds if seconds is not None else total, peak_mb, output)


def first_frame(command: Sequence[str], marker: bytes, env: Mapping[str, str]) -> float:
    """Seconds from starting ``command`` in a pseudo-terminal until ``marker`` (text of its
    first screen) has been written to the terminal: what a user waits for."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the command
        os.execve(command[0], list(command), {**env, "TERM": "xterm-256color"})
    rows, columns = TERMINAL
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    seen = b""
    try:
        while time.perf_counter() - start < 30:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                seen = seen[-len(marker) :] + os.read(fd, 65536)
                if marker in seen:
                    return time.perf_counter() - start
        raise RuntimeError(f"{' '.join(command)} never showed {marker!r}")
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def repeat(runs: int, measure: Callable[[], float]) -> list[float]:
    """``measure()`` ``runs`` times."""
    return [measure() for _ in range(runs)]


def paired(
    runs: int, measure: Callable[[], float], baseline: Callable[[], float]
) -> tuple[list[float], list[float]]:
    """Both, ``runs`` times, alternating: a change of load on a shared machine then falls
    on the figure and its baseline alike."""
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(runs):
        ours.append(measure())
        theirs.append(baseline())
    return ours, theirs


def fresh_copy(source: Path, target: Path) -> None:
    """A copy of a SQLite database (and none of a previous copy's WAL files)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    target.write_bytes(source.read_bytes())
    target.chmod(0o600)
