"""Each figure of issue 5's target table, measured next to its baseline in the same run."""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from harness import Child, first_frame, fresh_copy, median, paired, repeat, run_child

BENCH = Path(__file__).resolve().parent
PROBES = BENCH / "probes"
PYTHON = sys.executable
KPOTUI = str(Path(sys.executable).with_name("kpotui"))
SQLITE3 = shutil.which("sqlite3") or "sqlite3"
TODAY = date(2025, 6, 30)
"""The reference date of the synthetic firms."""
TABLES = ("provider", "contract", "deliverable", "task", "note", "decision")


@dataclass
class Figure:
    """One row of the results table: medians in seconds (or MB), and how they compare."""

    name: str
    value: float
    unit: str
    command: str
    baseline: float | None = None
    baseline_name: str = "—"
    target: str = ""
    met: bool | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None


@dataclass
class Setting:
    """What every measurement needs: the databases, the CSV files, an environment."""

    large_db: Path
    small_db: Path
    large_csv: Path
    import_base: Path
    """The large firm's providers and contracts only, for importing its deliverables."""
    work: Path
    env: dict[str, str]
    runs: int
    postgres: object | None = None
    """The running cluster of the PostgreSQL figures (``pg.Cluster``), when chosen."""


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def help_figure(s: Setting) -> Figure:
    """``kpotui --help`` against a bare click app with one command."""
    bare = [PYTHON, str(PROBES / "bare_click.py"), "--help"]
    ours, base = paired(
        max(s.runs, 20),
        lambda: run_child([KPOTUI, "--help"], s.env).seconds,
        lambda: run_child(bare, s.env).seconds,
    )
    figure = Figure("`kpotui --help`", median(ours), "s", "kpotui --help", median(base))
    figure.command += " / python bench/probes/bare_click.py --help"
    figure.baseline_name = "bare click app, one command"
    figure.target, figure.met = "≤ 1.25x", (figure.ratio or 0) <= 1.25
    return figure


def first_frame_figure(s: Setting) -> Figure:
    """From starting the process to the first frame in a terminal, against one Static."""
    ours = [KPOTUI, "--db", str(s.large_db)]
    base = [PYTHON, str(PROBES / "static_app.py")]
    mine, theirs = paired(
        s.runs,
        lambda: first_frame(ours, b"Dashboard", s.env),
        lambda: first_frame(base, b"one Static", s.env),
    )
    command = "kpotui --db bench/data/large.db / python bench/probes/static_app.py"
    figure = Figure("TUI first frame", median(mine), "s", command)
    figure.baseline, figure.baseline_name = median(theirs), "Textual app showing one Static"
    figure.target, figure.met = "≤ 1.5x", (figure.ratio or 0) <= 1.5
    figure.notes.append("process start to the first screen's text written to a 120x40 pty")
    return figure


def _probe(mode: str, db: Path | str, s: Setting, *extra: str) -> Child:
    command = [PYTHON, str(PROBES / "tui.py"), mode, str(db), *extra]
    return run_child(
        command, s.env, until="ready" if mode == "dashboard" else None, memory=mode == "scroll"
    )


def dashboard_figure(s: Setting) -> Figure:
    """Process start to every dashboard figure drawn: large firm against 1,000 deliverables."""
    command = "python bench/probes/tui.py dashboard bench/data/{large,small}.db"
    return dashboard_pair(
        s, str(s.large_db), str(s.small_db), "TUI dashboard, all figures", command
    )


def dashboard_pair(s: Setting, large: str, small: str, name: str, command: str) -> Figure:
    """The dashboard on the databases ``large`` and ``small`` (paths or URLs)."""
    on_large, on_small = paired(
        s.runs,
        lambda: _probe("dashboard", large, s).seconds,
        lambda: _probe("dashboard", small, s).seconds,
    )
    figure = Figure(name, median(on_large), "s", command)
    figure.baseline, figure.baseline_name = median(on_small), "the same at 1,000 deliverables"
    figure.target = "≤ 1.2x and ≤ 1.0 s"
    figure.met = (figure.ratio or 0) <= 1.2 and figure.value <= 1.0
    return figure


def keystroke_figures(s: Setting) -> list[Figure]:
    """Key to drawn frame in the 200,000-deliverable table."""
    found = json.loads(_probe("keys", s.large_db, s, str(s.runs)).output)
    figures = []
    for key, label in (("pagedown", "PageDown"), ("end", "End"), ("filter", "filter 'a'")):
        times = found[key]
        command = f"python bench/probes/tui.py keys bench/data/large.db {s.runs} ({key})"
        figure = Figure(f"key to frame: {label}", median(times), "s", command)
        figure.target, figure.met = "≤ 50 ms median", figure.value <= 0.050
        figure.notes.append(
            f"{len(times)} presses on {found['rows']:,} rows, max {_ms(max(times))}"
        )
        figures.append(figure)
    return figures


def insight_figures(s: Setting) -> list[Figure]:
    """Every query the dashboard runs, together, in this process (the store warmed once);
    and the converted totals on their own, with rates for every currency."""
    return [
        insight_figure(str(s.large_db), "all dashboard insight queries", s.runs),
        converted_figure(s),
    ]


RATE_DAYS = 365
"""Daily rates per currency in the converted-totals figure: a year of history to search."""


def converted_figure(s: Setting) -> Figure:
    """Spend shared out in the reporting currency (EUR): the latest rate of each of USD,
    GBP and INR on or before the day, among a year of daily rates each, then the contracts
    summed per provider and currency and converted; on a copy of the large firm."""
    from datetime import timedelta

    from kpotui.services import insights, writes
    from kpotui.services.fields import kind_spec
    from kpotui.store import open_store

    target = s.work / "converted.db"
    fresh_copy(s.large_db, target)
    store = open_store(str(target))
    rates = [
        {"currency": code, "date": (TODAY - timedelta(days=n)).isoformat(), "rate": rate}
        for code, rate in (("USD", "0.9"), ("GBP", "1.15"), ("INR", "0.011"))
        for n in range(RATE_DAYS)
    ]
    writes.write_all(
        store, [(kind_spec("rate"), [writes.Item(r) for r in rates])], _Sink(), label="bench"
    )

    def converted() -> float:
        start = time.perf_counter()
        spread = insights.concentration(store, TODAY)
        assert spread.converted, spread.spend.missing
        return time.perf_counter() - start

    converted()  # warm the page cache
    times = repeat(s.runs, converted)
    store.close()
    command = "insights.concentration(store, TODAY) with every currency rated, in bench/run.py"
    figure = Figure("converted spend totals and shares", median(times), "s", command)
    figure.target, figure.met = "≤ 100 ms", figure.value <= 0.100
    figure.notes.append(f"20,000 contracts; {3 * RATE_DAYS:,} rates")
    return figure


class _Sink:
    """A problem sink for the bench's own rates, which are valid."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, at: Any, message: str, field_name: str | None = None) -> None:
        self.found.append(f"{field_name}: {message}")

    def __bool__(self) -> bool:
        return bool(self.found)


def insight_figure(target: str, name: str, runs: int) -> Figure:
    """The dashboard's queries on the database ``target`` (a path or URL), as ``name``."""
    from kpotui.services import insights
    from kpotui.store import open_store

    store = open_store(target)
    queries: dict[str, Callable[[], Any]] = {
        "due_work": lambda: insights.due_work(store, TODAY, limit=50),
        "renewals": lambda: insights.renewals(store, TODAY),
        "provider_decisions": lambda: insights.provider_decisions(
            store, *insights.quarter_of(TODAY), limit=50
        ),
        "sourcing_matrix": lambda: insights.sourcing_matrix(store),
        "retention": lambda: insights.retention(store, TODAY, limit=50),
        "reliability": lambda: insights.reliability(store, TODAY),
        "concentration": lambda: insights.concentration(store),
    }
    each: dict[str, list[float]] = {name: [] for name in queries}

    def all_of_them() -> float:
        total = 0.0
        for name, query in queries.items():
            start = time.perf_counter()
            query()
            each[name].append(time.perf_counter() - start)
            total += each[name][-1]
        return total

    all_of_them()  # warm the page cache, as a running app has
    for times in each.values():
        times.clear()
    totals = repeat(runs, all_of_them)
    store.close()
    command = "due_work, renewals, provider_decisions, sourcing_matrix, retention, reliability, "
    command += "concentration (as the dashboard calls them), in bench/run.py"
    figure = Figure(name, median(totals), "s", command)
    figure.target, figure.met = "≤ 50 ms", figure.value <= 0.050
    figure.notes += [f"{name} {_ms(median(times))}" for name, times in each.items()]
    return figure


def log_figures(s: Setting) -> list[Figure]:
    """``kpotui log``'s query: the newest 50 events, unfiltered and by a rare kind."""
    from kpotui.services import audit
    from kpotui.store import open_store

    store = open_store(str(s.large_db))
    cases = {
        "log: newest 50 events": audit.LogFilter(),
        "log: newest 50 provider events": audit.LogFilter(kind="provider"),
    }
    figures = []
    for name, flt in cases.items():
        audit.recent(store, flt=flt, limit=50)  # warm the page cache, as a second run has

        def read(flt: audit.LogFilter = flt) -> float:
            start = time.perf_counter()
            audit.recent(store, flt=flt, limit=50)
            return time.perf_counter() - start

        command = f"audit.recent(store, flt={flt!r}, limit=50), in bench/run.py"
        figure = Figure(name, median(repeat(s.runs, read)), "s", command)
        figure.target, figure.met = "≤ 50 ms", figure.value <= 0.050
        figures.append(figure)
    store.close()
    return figures


def exit_figures(s: Setting) -> list[Figure]:
    """Impact and exit readiness for the provider with the most live contracts."""
    from sqlalchemy import func, select

    from kpotui.services import exit as exits
    from kpotui.services import impact
    from kpotui.services.insights.sql import C, P
    from kpotui.services.statuses import LIVE_CONTRACT
    from kpotui.store import open_store

    store = open_store(str(s.large_db))
    with store.read() as conn:
        name, provider_id, live = conn.execute(
            select(P.c.name, P.c.id, func.count())
            .join(C, C.c.provider_id == P.c.id)
            .where(C.c.status.in_(LIVE_CONTRACT))
            .group_by(P.c.id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        ids = list(
            conn.scalars(
                select(C.c.id).where(C.c.provider_id == provider_id, C.c.status.in_(LIVE_CONTRACT))
            )
        )
    cases = {
        f"impact of the largest provider ({live} live contracts)": lambda: impact.impact(
            store, provider=name, today=TODAY
        ),
        f"exit readiness of its {live} live contracts": lambda: exits.readiness(store, ids, TODAY),
    }
    figures = []
    for title, call in cases.items():
        call()  # warm the page cache

        def timed(call: Callable[[], object] = call) -> float:
            start = time.perf_counter()
            call()
            return time.perf_counter() - start

        command = f"{title.split(' (')[0]}: services.impact / services.exit, in bench/run.py"
        figure = Figure(title, median(repeat(s.runs, timed)), "s", command)
        figure.target, figure.met = "≤ 100 ms", figure.value <= 0.100
        figures.append(figure)
    store.close()
    return figures


def sla_figure(s: Setting) -> Figure:
    """``kpotui report sla``'s queries: the contracts with targets and their current
    period's figures, on the large firm (page cache warmed first); the whole call, with
    the checks made in Python, and the CPU time of the queries go in the notes."""
    from kpotui.services import sla
    from kpotui.services.insights.sql import D
    from kpotui.services.periods import QUARTER, period_of
    from kpotui.store import open_store

    store = open_store(str(s.large_db))
    span = period_of(TODAY, QUARTER)
    cpu: list[float] = []

    def queries() -> float:
        with store.read() as conn:
            start, used = time.perf_counter(), time.process_time()
            sla._contracts(conn, sla._with_targets())
            label = sla._contract_label(conn)
            sla._counts(
                conn, TODAY, span.start, span.end, D.c.contract_id, label, sla._with_targets()
            )
            cpu.append(time.process_time() - used)
            return time.perf_counter() - start

    def whole() -> float:
        start = time.perf_counter()
        sla.contracts_sla(store, TODAY)
        return time.perf_counter() - start

    found = len(sla.contracts_sla(store, TODAY))  # also warms the page cache
    figure = Figure(
        "report sla: its queries, all contracts with targets",
        median(repeat(s.runs, queries)),
        "s",
        "sla._contracts + sla._counts as sla.contracts_sla runs them, in bench/run.py",
    )
    figure.target, figure.met = "≤ 200 ms", figure.value <= 0.200
    figure.notes.append(f"{found:,} contracts with targets")
    figure.notes.append(f"CPU time of the queries {median(cpu) * 1000:.0f} ms")
    figure.notes.append(
        f"whole sla.contracts_sla call {median(repeat(s.runs, whole)) * 1000:.0f} ms"
    )
    store.close()
    return figure


def agenda_figures(s: Setting) -> list[Figure]:
    """The agenda's queries in this process (the store warmed once), and the Agenda screen
    opened in the app (a process per run)."""
    from kpotui.services import agenda
    from kpotui.store import open_store

    store = open_store(str(s.large_db))
    cases: dict[str, tuple[Callable[[], Any], str, float | None]] = {
        "agenda: the screen's groups and counts": (
            lambda: agenda.grouped(store, TODAY, limit=100),
            "agenda.grouped(store, TODAY, limit=100)",
            0.100,
        ),
        "agenda: the dashboard's count": (
            lambda: agenda.figures(store, TODAY),
            "agenda.figures(store, TODAY)",
            0.100,
        ),
        "agenda: every item (kpotui agenda)": (
            lambda: agenda.agenda(store, TODAY),
            "agenda.agenda(store, TODAY)",
            None,
        ),
    }
    figures = []
    for name, (query, command, target) in cases.items():
        query()  # warm the page cache, as a second run has

        def timed(query: Callable[[], Any] = query) -> float:
            start = time.perf_counter()
            query()
            return time.perf_counter() - start

        figure = Figure(name, median(repeat(s.runs, timed)), "s", f"{command}, in bench/run.py")
        if target is not None:
            figure.target, figure.met = f"≤ {target * 1000:.0f} ms", figure.value <= target
        figures.append(figure)
    listed = agenda.agenda(store, TODAY)
    figures[-1].notes.append(
        f"{len(listed):,} items, {sum(i.day < TODAY for i in listed):,} overdue"
    )
    store.close()
    opened = [json.loads(_probe("agenda", s.large_db, s).output)["open"] for _ in range(s.runs)]
    figure = Figure(
        "TUI: key 8 to the Agenda drawn",
        median(opened),
        "s",
        "python bench/probes/tui.py agenda bench/data/large.db",
    )
    figure.target, figure.met = "≤ 0.5 s", figure.value <= 0.5
    figures.append(figure)
    return figures


def import_figures(s: Setting) -> list[Figure]:
    """200,000 deliverables from CSV through ``kpotui import`` against sqlite3's .import."""
    csv_file = s.large_csv / "deliverables.csv"
    rows = sum(1 for _ in csv_file.open(encoding="utf-8")) - 1
    target = s.work / "import.db"
    runs: list[Child] = []
    plain = s.work / "plain.db"

    def kpotui_import() -> float:
        fresh_copy(s.import_base, target)
        command = [KPOTUI, "--db", str(target), "import", str(csv_file)]
        runs.append(run_child(command, s.env, memory=True))
        return runs[-1].seconds

    def sqlite_import() -> float:
        plain.unlink(missing_ok=True)
        return run_child(
            [SQLITE3, str(plain), f".import --csv {csv_file} deliverable"], s.env
        ).seconds

    mine, theirs = paired(s.runs, kpotui_import, sqlite_import)
    ours = median(mine)
    command = "kpotui --db COPY-OF-import-base.db import bench/data/large/deliverables.csv / "
    command += "sqlite3 plain.db '.import --csv bench/data/large/deliverables.csv deliverable'"
    speed = Figure("import 200k deliverables (rows/s)", rows / ours, "rows/s", command)
    speed.baseline, speed.baseline_name = rows / median(theirs), "sqlite3 .import, plain table"
    speed.target, speed.met = "≥ 0.33x (stretch 0.5x)", (speed.ratio or 0) >= 0.33
    speed.notes.append(f"{rows:,} rows; kpotui {median([r.seconds for r in runs]):.1f} s")
    peaks = [r.peak_mb for r in runs if r.peak_mb is not None]
    memory = Figure("import peak memory", max(peaks), "MB", "the same import")
    memory.notes.append("largest peak of the kpotui import processes (probes/peak.py)")
    memory.target, memory.met = "≤ 150 MB", memory.value <= 150
    return [speed, memory]


def export_figure(s: Setting) -> Figure:
    """Everything to CSV through ``kpotui export`` against sqlite3's csv mode."""
    with sqlite3.connect(s.large_db) as conn:
        rows = sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES)
    out = s.work / "export"

    def ours() -> float:
        shutil.rmtree(out, ignore_errors=True)
        command = [KPOTUI, "--db", str(s.large_db), "export", "--format", "csv", "-o", str(out)]
        return run_child(command, s.env).seconds

    def theirs() -> float:
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        script = [".headers on", ".mode csv"]
        for table in TABLES:
            script += [f".output {out / table}.csv", f"SELECT * FROM {table};"]
        return run_child([SQLITE3, str(s.large_db), *script], s.env).seconds

    mine_runs, base_runs = paired(s.runs, ours, theirs)
    mine, base = median(mine_runs), median(base_runs)
    command = "kpotui --db bench/data/large.db export --format csv -o DIR / sqlite3 "
    command += "bench/data/large.db '.headers on' '.mode csv' "
    command += "'.output DIR/T.csv' 'SELECT * FROM T;' (each of the six tables)"
    figure = Figure("export everything to CSV (rows/s)", rows / mine, "rows/s", command)
    figure.baseline, figure.baseline_name = rows / base, "sqlite3 .mode csv of the same tables"
    figure.target, figure.met = "≥ 0.33x", (figure.ratio or 0) >= 0.33
    figure.notes.append(f"{rows:,} rows; kpotui {mine:.1f} s")
    return figure


def _peak(child: Child) -> float:
    assert child.peak_mb is not None, "run with memory=True"
    return child.peak_mb


def tui_memory_figure(s: Setting) -> Figure:
    """Peak memory after paging through every deliverable: large firm against 1,000."""
    large, small = paired(
        s.runs,
        lambda: _peak(_probe("scroll", s.large_db, s)),
        lambda: _peak(_probe("scroll", s.small_db, s)),
    )
    command = "python bench/probes/tui.py scroll bench/data/{large,small}.db"
    figure = Figure("TUI peak memory, whole table scrolled", median(large), "MB", command)
    figure.notes.append("peak after PageDown from the first to the last deliverable")
    figure.baseline, figure.baseline_name = median(small), "the same at 1,000 deliverables"
    figure.target = "≤ 1.2x and ≤ 150 MB"
    figure.met = (figure.ratio or 0) <= 1.2 and figure.value <= 150
    return figure


FIND_QUERIES = ("E", "EN", "ENG-20", "Atlas Advisory", "handover", "zebra")
"""Keystroke-like palette queries: one and two letters, a code's prefix, a provider's
name, a word of note titles and bodies, a word found nowhere (every kind scanned)."""


def find_figures(s: Setting) -> list[Figure]:
    """The palette's record search (``find_records``, 5 of each kind) per query, and the
    search screen's (``everywhere``: every kind matched anywhere too) in the notes."""
    from kpotui.services.find_records import find_records
    from kpotui.store import open_store

    store = open_store(str(s.large_db))
    figures = []
    for query in FIND_QUERIES:
        find_records(store, query)  # warm the page cache, as the keystroke before has

        cpu: list[float] = []

        def find(query: str = query, cpu: list[float] = cpu) -> float:
            start, start_cpu = time.perf_counter(), time.process_time()
            find_records(store, query, limit=5, everywhere=False)
            cpu.append(time.process_time() - start_cpu)
            return time.perf_counter() - start

        command = f"find_records(store, {query!r}, limit=5, everywhere=False) (the palette's)"
        figure = Figure(f"palette search {query!r}", median(repeat(s.runs, find)), "s", command)
        figure.target, figure.met = "≤ 100 ms", figure.value <= 0.100
        figure.notes.append(f"CPU time {_ms(median(cpu))} (the wall time less waiting for a core)")

        def everywhere(query: str = query) -> float:
            start = time.perf_counter()
            find_records(store, query, limit=8)
            return time.perf_counter() - start

        screen = median(repeat(s.runs, everywhere))
        figure.notes.append(f"the search screen's (limit=8, everywhere) {_ms(screen)}")
        figures.append(figure)
    store.close()
    return figures
