"""The PostgreSQL figures: the same firms on a throwaway cluster the benchmark starts itself
(``bash .ci/postgres start DIR``, listening on a Unix socket in DIR) and stops at the end.

The firms are imported by ``kpotui import`` into three databases: ``large`` (every kind),
``small`` (the 1,000-deliverable firm) and ``base`` (the large firm's providers and
contracts, the template each timed import of its deliverables starts from). After the
build, ``VACUUM ANALYZE`` gives the planner the statistics autovacuum would soon have.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import figures as f
from harness import Child, median, paired, run_child

SCRIPT = f.BENCH.parent / ".ci" / "postgres"
PSQL = shutil.which("psql") or "psql"
ORDER = ("providers", "contracts", "deliverables", "tasks", "notes", "decisions")


@dataclass
class Cluster:
    """A running throwaway cluster and what was built in it."""

    directory: Path
    builds: dict[str, str]
    version: str = ""

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://kpotui@/{database}?host={self.directory}"

    def psql(self, database: str, *commands: str) -> list[str]:
        """The psql command that runs ``commands`` in ``database``, stopping at an error."""
        command = [PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(self.directory)]
        command += ["-U", "kpotui", "-d", database]
        for sql in commands:
            command += ["-c", sql]
        return command

    def run(self, database: str, *commands: str) -> str:
        done = subprocess.run(self.psql(database, *commands), capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"psql failed: {done.stderr.strip()}")
        return done.stdout


def _import(
    cluster: Cluster, database: str, csv_dir: Path, kinds: tuple[str, ...], s: f.Setting
) -> str:
    cluster.run("postgres", f"CREATE DATABASE {database}")
    files = [str(csv_dir / f"{kind}.csv") for kind in kinds]
    command = [f.KPOTUI, "--db", cluster.url(database), "import", *files]
    child = run_child(command, s.env, memory=True)
    cluster.run(database, "VACUUM ANALYZE")
    return f"{child.seconds:.1f} s, peak {child.peak_mb or 0:.0f} MB"


NEEDS = {"pg-import": ("base",), "pg-dashboard": ("large", "small"), "pg-insights": ("large",)}
"""The databases each figure needs."""


@contextmanager
def cluster(s: f.Setting, figures: list[str]) -> Iterator[Cluster]:
    """A fresh cluster with the firms that ``figures`` need built in it; stopped and
    removed afterwards."""
    needed = {database for name in figures for database in NEEDS[name]}
    directory = Path(tempfile.mkdtemp(prefix="kpotui-bench-pg-"))
    directory.chmod(0o755)  # as root the server runs as `postgres` and must reach it
    subprocess.run(["bash", str(SCRIPT), "start", str(directory)], check=True, capture_output=True)
    try:
        found = Cluster(directory, {})
        found.version = found.run("postgres", "SHOW server_version").strip()
        print("building the firms on PostgreSQL…", flush=True)
        if "large" in needed:
            found.builds["large"] = _import(found, "large", s.large_csv, ORDER, s)
        if "small" in needed:
            small = s.large_csv.parent / "small"
            found.builds["small"] = _import(found, "small", small, ORDER, s)
        if "base" in needed:
            _import(found, "base", s.large_csv, ORDER[:2], s)
        yield found
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", str(directory)], check=False)
        shutil.rmtree(directory, ignore_errors=True)


def _cluster_of(s: f.Setting) -> Cluster:
    assert isinstance(s.postgres, Cluster), "run.py starts the cluster for pg- figures"
    return s.postgres


def import_figure(s: f.Setting) -> f.Figure:
    """200,000 deliverables through ``kpotui import`` against psql's ``\\copy`` of the same
    CSV file into a plain table (every column text, as sqlite3's .import makes it)."""
    pg = _cluster_of(s)
    csv_file = s.large_csv / "deliverables.csv"
    header = csv_file.open(encoding="utf-8").readline().strip().split(",")
    rows = sum(1 for _ in csv_file.open(encoding="utf-8")) - 1
    columns = ", ".join(f"{name} text" for name in header)
    runs: list[Child] = []

    def kpotui_import() -> float:
        pg.run("postgres", "DROP DATABASE IF EXISTS import", "CREATE DATABASE import TEMPLATE base")
        command = [f.KPOTUI, "--db", pg.url("import"), "import", str(csv_file)]
        runs.append(run_child(command, s.env, memory=True))
        return runs[-1].seconds

    def copy_import() -> float:
        pg.run("base", "DROP TABLE IF EXISTS plain", f"CREATE TABLE plain ({columns})")
        copy = f"\\copy plain FROM '{csv_file}' WITH (FORMAT csv, HEADER)"
        seconds = run_child(pg.psql("base", copy), s.env).seconds
        pg.run("base", "DROP TABLE plain")
        return seconds

    mine, theirs = paired(s.runs, kpotui_import, copy_import)
    command = "kpotui --db postgresql+psycopg://kpotui@/import?host=DIR import "
    command += "bench/data/large/deliverables.csv (database copied from base) / "
    command += "psql -c \"\\copy plain FROM 'bench/data/large/deliverables.csv' "
    command += 'WITH (FORMAT csv, HEADER)"'
    figure = f.Figure("PostgreSQL: import 200k deliverables", median(mine), "s", command)
    figure.baseline, figure.baseline_name = median(theirs), "psql \\copy, plain table"
    figure.target, figure.met = "≤ 20 s", figure.value <= 20
    peak = max(r.peak_mb or 0 for r in runs)
    figure.notes.append(
        f"{rows:,} rows, {rows / figure.value:,.0f} rows/s; runs "
        + ", ".join(f"{t:.1f}" for t in mine)
        + f" s; peak {peak:.0f} MB; PostgreSQL {pg.version}"
    )
    return figure


def dashboard_figure(s: f.Setting) -> f.Figure:
    """The dashboard with every figure drawn, on PostgreSQL: large firm against 1,000."""
    pg = _cluster_of(s)
    command = (
        "python bench/probes/tui.py dashboard postgresql+psycopg://kpotui@/{large,small}?host=DIR"
    )
    name = "PostgreSQL: TUI dashboard, all figures"
    return f.dashboard_pair(s, pg.url("large"), pg.url("small"), name, command)


def insight_figures(s: f.Setting) -> list[f.Figure]:
    """The dashboard's queries on the large firm on PostgreSQL."""
    name = "PostgreSQL: all dashboard insight queries"
    return [f.insight_figure(_cluster_of(s).url("large"), name, s.runs)]
