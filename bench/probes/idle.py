"""CPU the app spends idle: the real app in a tmux pane, left alone, with its look for other
sessions' changes every 2 s and without it.

    python bench/probes/idle.py DB [SECONDS] [ROUNDS] [EVERY]
    python bench/probes/idle.py --first-frame DB [RUNS]

For each round and each mode, starts the app on DB in a detached 120x40 tmux session,
waits WARM_UP seconds (the dashboard loads), reads the process's user + system CPU time
from /proc/PID/stat, waits SECONDS (default 60), reads it again, and ends the session.
Prints one line per run and the medians, as a share of one core. EVERY (default 2)
sets the checking run's interval: 0.1 makes twenty times as many checks, so their cost
stands out of the noise of the idle app. Rounds alternate which run goes first.

With ``--first-frame``: the time from process start to the dashboard's first frame in a
120x40 pty, both ways, RUNS times alternating (bench/harness.py), and the medians.
"""

from __future__ import annotations

import os
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/, for harness
from harness import first_frame, paired

WARM_UP = 10.0
TICKS = os.sysconf("SC_CLK_TCK")
LAUNCH = (
    "import sys; from kpotui.tui.app import KpoApp; from kpotui.tui.database import AppDatabase; "
    "KpoApp(AppDatabase(sys.argv[1], read_only=False), check_every={every}).run()"
)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far (fields 14 and 15 of /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def run(db: str, every: float | None, seconds: float) -> float:
    """The app's CPU share of one core over ``seconds`` of idling."""
    name = f"kpotui-idle-{os.getpid()}-{time.monotonic_ns()}"
    tmux = ["tmux", "-L", name]  # a server of its own, started with this environment
    code = LAUNCH.format(every=every)
    command = f"exec {shlex.quote(sys.executable)} -c {shlex.quote(code)} {shlex.quote(db)}"
    passed = [f"-e{k}={v}" for k, v in os.environ.items() if k.startswith(("KPOTUI_", "XDG_"))]
    start = [*tmux, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", *passed, command]
    subprocess.run(start, check=True)
    try:
        pane = [*tmux, "list-panes", "-t", name, "-F", "#{pane_pid}"]
        pid = int(subprocess.run(pane, check=True, capture_output=True, text=True).stdout)
        time.sleep(WARM_UP)
        before = cpu_seconds(pid)
        time.sleep(seconds)
        used = cpu_seconds(pid) - before
    finally:
        subprocess.run([*tmux, "kill-server"], check=False)
    return used / seconds


MODES = (("checking every 2 s", 2.0), ("not checking", None))


def first_frames(db: str, runs: int) -> None:
    """Median seconds to the dashboard's first frame, checking and not."""
    commands = [[sys.executable, "-c", LAUNCH.format(every=every), db] for _, every in MODES]
    env = dict(os.environ)
    mine, theirs = paired(
        runs,
        lambda: first_frame(commands[0], b"Dashboard", env),
        lambda: first_frame(commands[1], b"Dashboard", env),
    )
    for (label, _), values in zip(MODES, (mine, theirs), strict=True):
        print(f"first frame, {label}: median {statistics.median(values) * 1000:.0f} ms")


def main() -> None:
    if sys.argv[1] == "--first-frame":
        first_frames(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 10)
        return
    db = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    every = float(sys.argv[4]) if len(sys.argv) > 4 else 2.0
    modes = ((f"checking every {every:g} s", every), ("not checking", None))
    shares: dict[str, list[float]] = {label: [] for label, _ in modes}
    for round_ in range(rounds):
        for label, interval in modes if round_ % 2 == 0 else modes[::-1]:
            share = run(db, interval, seconds)
            shares[label].append(share)
            print(f"{label}: {share:.3%} of one core over {seconds:.0f} s", flush=True)
    for label, values in shares.items():
        print(f"median, {label}: {statistics.median(values):.3%}")


if __name__ == "__main__":
    main()
