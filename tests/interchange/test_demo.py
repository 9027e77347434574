"""``kpotui demo --no-open``: the sample firm in its own database, dates moved to today."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from kpotui import paths
from kpotui.services import records
from kpotui.store import open_store
from tests.interchange.conftest import export, kpotui

LATER = date(2026, 1, 15)
SHIFT = LATER - date(2025, 6, 30)


def _demo(*args: str, today: date = LATER) -> Path:
    from click.testing import CliRunner

    from kpotui.cli import main

    result = CliRunner().invoke(
        main, [*args, "demo", "--no-open"], env={"KPOTUI_TODAY": today.isoformat()}
    )
    assert result.exit_code == 0, result.output
    return Path(result.stdout.strip())


def test_demo_lives_apart_and_its_dates_follow_today() -> None:
    path = _demo()
    assert path == paths.demo_db_path().resolve()
    assert not paths.default_db_path().exists()  # the user's own database is not touched
    store = open_store(str(path), read_only=True)
    try:
        late = records.find(
            store,
            "deliverable",
            {
                "contract": "ENG-2023-004",
                "title": "Q1 2025 roll-forward - US Healthcare (24 models)",
            },
        )
        assert late is not None
        assert late["due_date"] == date(2025, 5, 16) + SHIFT
        assert late["submitted_date"] == date(2025, 5, 19) + SHIFT
        contract = records.find(store, "contract", {"code": "ENG-2024-011"})
        assert contract is not None
        assert (contract["start_date"], contract["end_date"]) == (
            date(2024, 8, 1) + SHIFT,
            date(2025, 7, 31) + SHIFT,
        )
    finally:
        store.close()


def test_the_demo_shows_the_sample_figures_on_any_day() -> None:
    path = _demo()
    result = kpotui(
        str(path), "report", "summary", "--format", "json", env={"KPOTUI_TODAY": LATER.isoformat()}
    )
    summary = json.loads(result.stdout)
    # the same as the sample on its reference date (see test_reports.py)
    assert summary["overdue_deliverables"] == 5
    assert summary["due_in_14_days"] == 9
    assert summary["outsourced_core_at_risk"] == 2
    assert summary["contracts_in_notice"] == 3  # two deadlines passed, one near
    assert summary["contracts_lapsed"] == 0


def test_refresh_rebuilds_from_scratch() -> None:
    path = _demo()
    kpotui(str(path), "import", "-", "--kind", "providers", stdin="name\nAdded By Hand Ltd\n")
    again = _demo(today=LATER + timedelta(days=1))
    assert again == path
    store = open_store(str(path), read_only=True)
    try:
        assert records.counts(store)["provider"] == 5
        assert records.find(store, "provider", {"name": "Added By Hand Ltd"}) is None
        contract = records.find(store, "contract", {"code": "ENG-2024-011"})
        assert contract is not None
        assert contract["end_date"] == date(2025, 7, 31) + SHIFT + timedelta(days=1)
    finally:
        store.close()
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []


def test_demo_never_replaces_a_real_database(sample_db: str) -> None:
    if "://" in sample_db:
        result = kpotui(sample_db, "demo", "--no-open")
        assert result.exit_code == 1
        assert "give --db a path, not a URL" in result.stderr
        return
    before = export(sample_db)
    result = kpotui(sample_db, "demo", "--no-open")
    assert result.exit_code == 1
    assert "not a demo database" in result.stderr
    assert export(sample_db) == before


def test_demo_at_a_chosen_path(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "my-demo.db"
    result = kpotui(str(target), "demo", "--no-open", env={"KPOTUI_TODAY": "2025-06-30"})
    assert result.exit_code == 0, result.output
    assert Path(result.stdout.strip()) == target.resolve()
    assert target.stat().st_mode & 0o777 == 0o600


def test_refresh_waits_for_nobody_to_use_the_demo() -> None:
    path = _demo()
    store = open_store(str(path))
    try:
        with store.read():
            result = kpotui(str(path), "demo", "--no-open")
        assert result.exit_code == 1
        assert result.stderr == (
            f"kpotui: {path}: the demo database is in use; close kpotui and try again\n"
        )
        assert records.counts(store)["provider"] == 5
    finally:
        store.close()
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []
