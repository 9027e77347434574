"""Measure every figure of issue 5 on the large synthetic firm; write bench/results.md.

    python bench/run.py [--runs 5] [--only help,insights,...] [--rebuild]

The firms are built once through ``kpotui import`` and cached in ``bench/data/`` (rebuilt
when the generator or the schema changes). Each figure is the median of ``--runs`` runs,
next to its baseline measured in the same run. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import figures as f
import largefirm
import pg
from harness import run_child

DATA = f.BENCH / "data"
RESULTS = f.BENCH / "results.md"
KEPT = "<!-- Everything below this line is written by hand; bench/run.py keeps it. -->"
ORDER = ("providers", "contracts", "deliverables", "tasks", "notes", "decisions")
MEASURES: dict[str, Callable[[f.Setting], f.Figure | list[f.Figure]]] = {
    "help": f.help_figure,
    "first-frame": f.first_frame_figure,
    "dashboard": f.dashboard_figure,
    "keys": f.keystroke_figures,
    "insights": f.insight_figures,
    "log": f.log_figures,
    "exit": f.exit_figures,
    "sla": f.sla_figure,
    "agenda": f.agenda_figures,
    "find": f.find_figures,
    "import": f.import_figures,
    "export": f.export_figure,
    "tui-memory": f.tui_memory_figure,
    "pg-import": pg.import_figure,
    "pg-dashboard": pg.dashboard_figure,
    "pg-insights": pg.insight_figures,
}


def environment() -> dict[str, str]:
    """The children's environment: a private config and data directory, a pinned today."""
    home = DATA / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "KPOTUI_DB"}
    return env | {
        "KPOTUI_CONFIG": str(home / "config.toml"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "KPOTUI_TODAY": f.TODAY.isoformat(),
    }


def _stamp() -> str:
    from kpotui.store.migrate import HEAD_REVISION

    source = (f.BENCH / "largefirm.py").read_bytes()
    return f"{hashlib.sha256(source).hexdigest()[:16]}-schema-{HEAD_REVISION}"


def _import(db: Path, csv_dir: Path, kinds: tuple[str, ...], env: dict[str, str]) -> str:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    files = [str(csv_dir / f"{kind}.csv") for kind in kinds]
    child = run_child([f.KPOTUI, "--db", str(db), "import", *files], env, memory=True)
    return f"{child.seconds:.1f} s, peak {child.peak_mb or 0:.0f} MB"


def build(env: dict[str, str], *, rebuild: bool, csv_only: bool) -> dict[str, str]:
    """The large firm, the 1,000-deliverable firm and the import base, built if missing.
    With ``csv_only`` (the PostgreSQL figures build their own databases) CSV files written
    by the same generator are enough, whatever schema the SQLite firms have."""
    stamp_file = DATA / "stamp.json"
    if not rebuild and stamp_file.exists():
        built = json.loads(stamp_file.read_text())
        generator = _stamp().split("-schema-")[0]
        if built.get("stamp") == _stamp() or (csv_only and built["stamp"].startswith(generator)):
            return dict(built["builds"])
    builds: dict[str, str] = {}
    for name, scale in (("large", 1.0), ("small", 0.005)):
        print(f"building the {name} firm…", flush=True)
        largefirm.write_firm(DATA / name, scale=scale)
        builds[name] = _import(DATA / f"{name}.db", DATA / name, ORDER, env)
    _import(DATA / "import-base.db", DATA / "large", ORDER[:2], env)
    stamp_file.write_text(json.dumps({"stamp": _stamp(), "builds": builds}))
    return builds


def _shown(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "rows/s":
        return f"{value:,.0f} rows/s"
    return f"{value:.0f} {unit}"


def table(found: list[f.Figure]) -> list[str]:
    lines = [
        "| figure | median | baseline | baseline median | ratio | target | met |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for fig in found:
        base = _shown(fig.baseline, fig.unit) if fig.baseline is not None else "—"
        ratio = f"{fig.ratio:.2f}x" if fig.ratio is not None else "—"
        met = {True: "yes", False: "**no**", None: "—"}[fig.met]
        lines.append(
            f"| {fig.name} | {_shown(fig.value, fig.unit)} | {fig.baseline_name} | {base} "
            f"| {ratio} | {fig.target} | {met} |"
        )
    return lines


def machine() -> list[str]:
    cli = subprocess.run([f.SQLITE3, "--version"], capture_output=True, text=True, check=False)
    import textual

    return [
        f"- platform: {platform.platform()} ({platform.machine()}), {os.cpu_count()} CPUs",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version} (Python), "
        f"sqlite3 CLI {cli.stdout.split(' ')[0] or '?'}, Textual {textual.__version__}",
    ]


def write_results(
    found: list[f.Figure], builds: dict[str, str], runs: int, load: str, started: datetime
) -> None:
    kept = ""
    if RESULTS.exists() and KEPT in RESULTS.read_text():
        kept = RESULTS.read_text().split(KEPT, 1)[1]
    details = [
        f"- {fig.name}: `{fig.command}`" + "".join(f"; {note}" for note in fig.notes)
        for fig in found
    ]
    lines = [
        "# Benchmark results",
        "",
        f"Measured {started:%Y-%m-%d %H:%M %Z} by `python bench/run.py "
        f"--runs {runs}`: medians of {runs} runs (20 for `--help` and PageDown).",
        "",
        *machine(),
        f"- load average (1, 5, 15 min) at start and end: {load}",
        f"- large firm built by `kpotui import` in {builds.get('large', '?')}; "
        f"the 1,000-deliverable firm in {builds.get('small', '?')}; on PostgreSQL "
        f"{builds.get('PostgreSQL large', '?')} and {builds.get('PostgreSQL small', '?')}",
        "",
        *table(found),
        "",
        "## Details",
        "",
        *details,
        "",
        KEPT,
    ]
    RESULTS.write_text("\n".join(lines) + (kept or "\n"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="", help=f"comma-separated: {', '.join(MEASURES)}")
    parser.add_argument("--rebuild", action="store_true", help="build the firms again")
    args = parser.parse_args()
    chosen = [name for name in args.only.split(",") if name] or list(MEASURES)
    env = environment()
    os.environ.update(env)  # the insight queries run in this process
    on_postgres = [name for name in chosen if name in pg.NEEDS]
    builds = build(env, rebuild=args.rebuild, csv_only=on_postgres == chosen)
    work = DATA / "work"
    work.mkdir(exist_ok=True)
    setting = f.Setting(
        DATA / "large.db", DATA / "small.db", DATA / "large", DATA / "import-base.db",
        work, env, args.runs,
    )  # fmt: skip
    started = datetime.now().astimezone()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    found: list[f.Figure] = []
    with contextlib.ExitStack() as stack:
        if on_postgres:
            cluster = stack.enter_context(pg.cluster(setting, on_postgres))
            setting.postgres = cluster
            builds |= {f"PostgreSQL {name}": built for name, built in cluster.builds.items()}
        for name in chosen:
            start = time.perf_counter()
            measured = MEASURES[name](setting)
            found += measured if isinstance(measured, list) else [measured]
            print(f"{name}: {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    load += " → " + ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print("\n".join(table(found)))
    if chosen == list(MEASURES):
        write_results(found, builds, args.runs, load, started)
        print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
