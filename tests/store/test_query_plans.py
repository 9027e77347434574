"""Every insight query and every list page reads the big tables through an index.

The SQL is the SQL the services run (captured while calling them), explained by SQLite with
the statistics of the large benchmark firm (``bench/largefirm.py``: 200,000 deliverables,
after ``ANALYZE``), so the plans checked are the plans that firm gets. A plan fails when it
reads a big table row by row (``SCAN deliverable``), builds an index on the fly at every
call (``AUTOMATIC INDEX``), aggregates through a non-covering index (a table lookup per
row, whether it scans the index or searches it for each row of another table), or sorts a
whole table to show one page (``TEMP B-TREE FOR ORDER BY``).

The incremental text filter is left out: a substring can be anywhere in a value, so it
reads every row by nature (``bench/`` measures what that costs).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from kpotui.services import audit, changes, history, insights, listing
from kpotui.services.find_records import find_records
from kpotui.services.insights import activities
from kpotui.store import Store, open_store
from tests.services import factories as make

TODAY = date(2025, 6, 30)
BIG = ("deliverable", "contract", "task", "note", "decision", "audit_event")

LARGE_FIRM_STATS: dict[tuple[str, str | None], str] = {
    ("audit_event", "ix_audit_actor"): "342000 342000 1",
    ("audit_event", "ix_audit_batch"): "342000 342000",
    ("audit_event", "ix_audit_record"): "342000 57000 1",
    ("audit_event", "ix_audit_kind"): "342000 57000 1",
    ("audit_event", "ix_audit_key"): "342000 2 1",
    ("audit_event", "ix_audit_at"): "342000 50000",
    ("contract", "ix_contract_provider"): "20000 11 5 3 1 1",
    ("contract", "ix_contract_status_end"): "20000 4000 4 2",
    ("contract", "sqlite_autoindex_contract_1"): "20000 1",
    ("decision", "ix_decision_date"): "50000 22 12 7",
    ("decision", "sqlite_autoindex_decision_1"): "50000 3 1 1",
    ("deliverable", "ix_deliverable_due"): "200000 62",
    ("deliverable", "ix_deliverable_status_due"): "200000 33334 18 1",
    ("deliverable", "sqlite_autoindex_deliverable_1"): "200000 11 1",
    ("note", "ix_note_contract"): "20000 4",
    ("note", "ix_note_provider"): "20000 13",
    ("note", "ix_note_task"): "20000 2 2",
    ("note", "sqlite_autoindex_note_1"): "20000 1",
    ("provider", "sqlite_autoindex_provider_1"): "2000 1",
    ("provider_reliability", None): "2000",
    ("task", "ix_task_contract"): "50000 4 2 2",
    ("task", "ix_task_matrix"): "50000 16667 8334 14 1 1",
    ("task", "sqlite_autoindex_task_1"): "50000 1",
}
"""``sqlite_stat1`` of the large firm (``python bench/run.py`` builds it), index by index."""


@pytest.fixture
def firm(tmp_path: Path) -> Iterator[Store]:
    """A few records of every kind, planned for as if there were the large firm's."""
    path = tmp_path / "plans.db"
    store = open_store(str(path))
    make.provider(store)
    make.contract(store, "ENG-1", status="active", end_date="2025-08-01", notice_days=60)
    for n in range(3):
        make.deliverable(store, f"D{n}", due_date=f"2025-06-2{n}", status="in-progress")
        make.task(store, f"Task {n}", contract="ENG-1", owner="" if n else "Ana")
        make.note(store, f"Note {n}", task=f"Task {n}", review_by="2025-01-01")
        make.decision(store, f"Decision {n}", date=f"2025-05-0{n + 1}")
    with store.write() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.exec_driver_sql("DELETE FROM sqlite_stat1")
        for (table, index), stat in LARGE_FIRM_STATS.items():
            conn.exec_driver_sql(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", (table, index, stat)
            )
    store.close()
    reopened = open_store(str(path))  # new connections read the statistics
    try:
        yield reopened
    finally:
        reopened.close()


def _plans(store: Store, call: Callable[[], Any]) -> list[tuple[str, list[str]]]:
    """(statement, plan lines) of every query ``call`` runs."""
    captured: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            captured.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        call()
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)
    assert captured, "the call ran no query"
    with store.read() as conn:
        return [
            (
                statement,
                [
                    row[-1]
                    for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
                ],
            )
            for statement, params in captured
        ]


def _reads_big_table_row_by_row(line: str, statement: str) -> bool:
    """A scan of a big table in rowid order, unless it is the newest / oldest few by id."""
    for table in BIG:
        if re.fullmatch(rf"SCAN {table}( AS \w+)?", line):
            return not re.search(rf"ORDER BY {table}\.id( DESC)?\s+LIMIT", statement)
    return False


def _problems(plans: list[tuple[str, list[str]]], *, aggregate: bool, page: bool) -> list[str]:
    found = []
    for statement, lines in plans:
        for line in lines:
            bad = _reads_big_table_row_by_row(line, statement) or "AUTOMATIC" in line
            scan = re.match(rf"SCAN ({'|'.join(BIG)})\b", line)
            bad |= aggregate and scan is not None and "COVERING INDEX" not in line
            search = re.match(rf"SEARCH ({'|'.join(BIG)})\b.* USING INDEX", line)
            bad |= aggregate and search is not None and "GROUP BY" in statement
            bad |= page and "TEMP B-TREE FOR ORDER BY" in line
            if bad:
                found.append(f"{line}\n    in: {' '.join(statement.split())[:400]}")
    return found


INSIGHTS: dict[str, Callable[[Store], Any]] = {
    "due_work": lambda s: insights.due_work(s, TODAY),
    "sourcing_matrix": insights.sourcing_matrix,
    "retention": lambda s: insights.retention(s, TODAY),
    "retention, the first 50 at risk (few at risk: sorted)": lambda s: insights.retention(
        s, TODAY, limit=50
    ),
    "provider_costs": insights.provider_costs,
    "reliability": lambda s: insights.reliability(s, TODAY),
    "renewals": lambda s: insights.renewals(s, TODAY),
    "provider_decisions": lambda s: insights.provider_decisions(s, *insights.quarter_of(TODAY)),
    "concentration": insights.concentration,
}


@pytest.mark.parametrize("name", INSIGHTS)
def test_insight_queries_read_big_tables_only_through_indexes(firm: Store, name: str) -> None:
    problems = _problems(_plans(firm, lambda: INSIGHTS[name](firm)), aggregate=True, page=False)
    assert problems == [], "\n".join(problems)


def test_many_at_risk_are_listed_by_walking_names_until_the_limit(
    firm: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With thousands at risk (the large firm: 8,229) the dashboard's first 50 are found
    by walking activities in name order, which stops after a few hundred names: no sort."""
    monkeypatch.setattr(activities, "WALK_WHEN_AT_RISK_TIMES_LIMIT", 0)
    plans = _plans(firm, lambda: insights.retention(firm, TODAY, limit=50))
    (walk,) = [
        lines
        for statement, lines in plans
        if "ORDER BY task.name LIMIT" in " ".join(statement.split())
    ]
    assert walk[0] == "SCAN task USING INDEX sqlite_autoindex_task_1"
    assert not [line for line in walk if "TEMP B-TREE" in line or "AUTOMATIC" in line]


KINDS = ("provider", "contract", "deliverable", "task", "note", "decision")


def _pages(store: Store, kind: str, flt: listing.ListFilter | None = None) -> None:
    """What a table does: count, first page, next, previous, last."""
    listing.count(store, kind, flt)
    first = listing.page(store, kind, flt=flt, limit=2)
    assert first, f"no {kind} to page through"
    listing.page(store, kind, flt=flt, after=listing.cursor_of(first[-1], None, kind), limit=2)
    listing.page(store, kind, flt=flt, before=listing.cursor_of(first[-1], None, kind), limit=2)
    listing.page(store, kind, flt=flt, before=listing.END, limit=2)


@pytest.mark.parametrize("kind", KINDS)
def test_list_pages_in_default_order_never_sort_or_scan_the_table(firm: Store, kind: str) -> None:
    problems = _problems(_plans(firm, lambda: _pages(firm, kind)), aggregate=False, page=True)
    assert problems == [], "\n".join(problems)


FILTERED = {
    "open deliverables (the deliverables screen)": (
        "deliverable",
        listing.ListFilter(equals={"status": list(insights.OPEN_DELIVERABLE)}),
    ),
    "deliverables of a contract": ("deliverable", listing.ListFilter(equals={"contract": "ENG-1"})),
    "deliverables of a provider": (
        "deliverable",
        listing.ListFilter(equals={"provider": "Meridian"}),
    ),
    "overdue deliverables": ("deliverable", listing.ListFilter(due_before=TODAY)),
    "contracts of a provider": ("contract", listing.ListFilter(equals={"provider": "Meridian"})),
    "activities of a contract": ("task", listing.ListFilter(equals={"contract": "ENG-1"})),
    "notes of an activity": ("note", listing.ListFilter(equals={"task": "Task 1"})),
    "decisions of a contract": ("decision", listing.ListFilter(equals={"contract": "ENG-1"})),
}


@pytest.mark.parametrize("case", FILTERED)
def test_filtered_list_pages_use_an_index(firm: Store, case: str) -> None:
    kind, flt = FILTERED[case]
    problems = _problems(_plans(firm, lambda: _pages(firm, kind, flt)), aggregate=False, page=False)
    assert problems == [], "\n".join(problems)


def test_audit_trail_reads_use_an_index(firm: Store) -> None:
    def read() -> None:
        history.record_history(firm, "deliverable", 1)
        audit.recent(firm)

    problems = _problems(_plans(firm, read), aggregate=False, page=True)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    ("flt", "index"),
    [
        (audit.LogFilter(kind="provider"), "ix_audit_kind"),
        (audit.LogFilter(key="D1"), "ix_audit_key"),
    ],
)
def test_change_log_filters_read_their_own_index(
    firm: Store, flt: audit.LogFilter, index: str
) -> None:
    """A rare kind's newest events are found in its index, not by reading the trail."""
    [(_, lines)] = _plans(firm, lambda: audit.recent(firm, flt=flt, before=10**9))
    assert any(f"USING INDEX {index}" in line for line in lines), lines
    assert not any("TEMP B-TREE" in line for line in lines), lines


def test_the_change_marker_and_the_events_after_it_use_the_primary_key(firm: Store) -> None:
    """What every open app runs every 2 s: never a read of the whole audit trail."""
    plans = _plans(
        firm, lambda: changes.events_after(firm, changes.marker(firm).event_id - 2, limit=5)
    )
    assert _problems(plans, aggregate=True, page=True) == []
    lines = [line for _, found in plans for line in found if "audit_event" in line]
    assert lines and all(line.startswith("SEARCH audit_event") for line in lines), lines


def test_the_palettes_record_search_reads_name_indexes_only(firm: Store) -> None:
    """A query some name starts with: one index range per kind, in the index's order
    (migration 0013 gives deliverable titles and decision summaries theirs)."""
    plans = _plans(firm, lambda: find_records(firm, "d", everywhere=False))
    problems = _problems(plans, aggregate=False, page=True)
    assert problems == [], "\n".join(problems)
    ranges = [line for _, lines in plans for line in lines if "USING INDEX" in line]
    for index in ("ix_deliverable_title_search", "ix_decision_summary_search"):
        assert any(index in line for line in ranges), ranges
