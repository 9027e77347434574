"""Run a command and print its own peak memory: ``peak-kib N`` as the last line on stdout.

Usage: python bench/probes/peak.py COMMAND [ARG...]

Linux counts a process's ``ru_maxrss`` from before its ``exec``: a child started by a
large process (the benchmark itself holds the large firm's query results) reports at least
the parent's size. This probe is small, so the child it starts reports its own peak.
"""

from __future__ import annotations

import os
import subprocess
import sys


def main() -> int:
    process = subprocess.Popen(sys.argv[1:])
    _, status, usage = os.wait4(process.pid, 0)
    print(f"peak-kib {usage.ru_maxrss}", flush=True)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
