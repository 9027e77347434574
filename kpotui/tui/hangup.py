"""Leave when the terminal has gone.

When an SSH session drops or a tmux server is killed, the terminal is hung up. The app
is usually told by SIGHUP, but not when something between it and the terminal keeps the
signal (``su``, ``runuser``, ``nohup``): then Textual's input thread reads end-of-file
over and over, and the app stays behind using half a core for nobody. A hung-up
terminal answers every ioctl with EIO, so asking for its settings tells.
"""

from __future__ import annotations

import sys
import termios
from typing import TextIO

CHECK_SECONDS = 2.0


def terminal_of(stream: TextIO | None = sys.__stdin__) -> int | None:
    """The file descriptor of the terminal the app reads, or None when it reads none
    (tests, a pipe)."""
    try:
        fd = stream.fileno() if stream is not None else None
    except (OSError, ValueError):
        return None
    if fd is None:
        return None
    try:
        termios.tcgetattr(fd)
    except (termios.error, OSError):
        return None
    return fd


def hung_up(fd: int) -> bool:
    """Whether the terminal on ``fd`` has gone."""
    try:
        termios.tcgetattr(fd)
    except (termios.error, OSError):
        return True
    return False
