"""``kpotui agenda``: formats, filters, exit statuses, calendar files, and cron's view."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner, Result

from kpotui.cli import main
from kpotui.cli.agenda import ITEM_KINDS
from kpotui.services import agenda, settings
from kpotui.store import open_store
from tests.services import factories as make

TODAY = "2026-06-01"


def run(db: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", db, "agenda", "--today", TODAY, *args])


@pytest.fixture
def firm(db_url: str) -> Iterator[str]:
    """An overdue deliverable (Ana's), one due in a week, a notice deadline in 60 days
    (Bo's) and a note to review in 40 days."""
    store = open_store(db_url)
    try:
        make.provider(store)
        make.contract(store, owner="Ana Lima")
        make.contract(
            store, "ENG-2", status="active", end_date="2026-08-30", notice_days=0, owner="Bo Chen"
        )
        make.deliverable(store, "Late pack", due_date="2026-05-30")
        make.deliverable(store, "Next pack", due_date="2026-06-05")
        make.note(store, review_by="2026-07-11", author="Ana Lima")
    finally:
        store.close()
    yield db_url


def test_text_groups_items_one_line_each_and_exits_1_when_overdue(firm: str) -> None:
    result = run(firm)
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        "Overdue (1)",
        "  2026-05-30  chase: overdue · deliverable ENG-1 / Late pack · Ana Lima",
        "This week (1)",
        "  2026-06-05  due · deliverable ENG-1 / Next pack · Ana Lima",
        "Later (1)",
        "  2026-08-30  give notice, or it ends 2026-08-30 · contract ENG-2 · Bo Chen",
    ]


def test_owner_kind_within_and_fail_on(firm: str) -> None:
    result = run(firm, "--owner", "bo chen")
    assert result.exit_code == 0, result.output
    assert "contract ENG-2" in result.stdout and "Late pack" not in result.stdout
    assert run(firm, "--owner", "bo chen", "--fail-on", "any").exit_code == 1
    assert run(firm, "--fail-on", "never").exit_code == 0
    within = run(firm, "--within", "6w", "--item", "note-review", "--fail-on", "any")
    assert within.exit_code == 1
    assert within.stdout.splitlines()[1:] == [
        "  2026-07-11  review the note · note Runbook · Ana Lima"
    ]
    nothing = run(firm, "--owner", "Nobody")
    assert (nothing.exit_code, nothing.stdout) == (0, "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--within", "soon"], "not a number of days"),
        (["--item", "deliverable-due,bogus"], "unknown item kind 'bogus'"),
        (["--fail-on", "always"], "always"),
        (["--today", "someday"], "not a date"),
    ],
)
def test_a_usage_error_exits_2(firm: str, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["--db", firm, "agenda", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_json_and_markdown(firm: str) -> None:
    document = json.loads(run(firm, "--format", "json").stdout)
    assert document["today"] == TODAY
    first = document["items"][0]
    assert first["id"].startswith("deliverable-due:") and first["id"].endswith(":2026-05-30")
    assert (first["group"], first["responsible"]) == ("Overdue", ["Ana Lima"])
    assert first["record"]["key"] == "ENG-1 / Late pack"
    md = run(firm, "--format", "md").stdout
    assert "## Overdue" in md
    assert "| 2026-05-30 | chase: overdue | deliverable ENG-1 / Late pack | Ana Lima |" in md


def triggers(event: icalendar.Event) -> list[str]:
    return [str(alarm["TRIGGER"].to_ical(), "ascii") for alarm in event.walk("VALARM")]


def events(path: Path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_ics_round_trips_with_stable_uids_an_alarm_per_lead_time(firm: str, tmp_path: Path) -> None:
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert run(firm, "--format", "ics", "-o", str(first)).exit_code == 1
    store = open_store(firm)
    try:
        items = agenda.agenda(store, date.fromisoformat(TODAY))
        settings.set_value(store, "agenda_lead_times", "30,7")
        make.deliverable(store, "Another", due_date="2026-06-10")
    finally:
        store.close()
    run(firm, "--format", "ics", "-o", str(second))
    before, after = events(first), events(second)
    assert set(before) == {f"{item.id}@kpotui" for item in items}
    assert len(after) == len(before)  # the notice deadline is 90 days ahead: not announced
    assert set(after) - set(before) == {next(u for u in after if ":2026-06-10@" in u)}
    late = next(event for uid, event in before.items() if ":2026-05-30@" in uid)
    assert late.decoded("DTSTART") == date(2026, 5, 30)
    assert late.decoded("DTEND") == date(2026, 5, 31)
    assert "deliverable ENG-1 / Late pack" in str(late["DESCRIPTION"])
    assert "Responsible: Ana Lima" in str(late["DESCRIPTION"])
    assert triggers(late) == ["-P90D", "-P60D", "-P30D", "-P7D"]
    assert triggers(after[next(iter(before))]) == ["-P30D", "-P7D"]


def test_output_replaces_the_file_whole(firm: str, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "agenda.txt"
    target.write_text("old")
    run(firm, "-o", str(target))
    assert target.read_text().startswith("Overdue (1)\n")
    assert [p.name for p in target.parent.iterdir()] == ["agenda.txt"]


def test_the_item_kinds_of_help_are_the_services(firm: str) -> None:
    assert set(ITEM_KINDS) == set(agenda.ITEM_KINDS)


def cron(db: str, today: str) -> subprocess.CompletedProcess[str]:
    """``kpotui agenda`` as cron runs it: no terminal on any stream, a bare environment."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ["KPOTUI_CONFIG"].rsplit("/", 1)[0],
        "KPOTUI_CONFIG": os.environ["KPOTUI_CONFIG"],
        "CI": "true",
        "TERM": "dumb",
    }
    return subprocess.run(
        [sys.executable, "-c", "from kpotui.cli import main; main()", "--db", db, "agenda",
         "--today", today],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )  # fmt: skip


def test_under_cron_the_status_says_whether_anything_is_overdue(firm: str) -> None:
    late = cron(firm, TODAY)
    assert late.returncode == 1, late.stderr
    assert late.stdout.startswith("Overdue (1)\n") and late.stderr == ""
    calm = cron(firm, "2026-05-01")
    assert calm.returncode == 0, calm.stderr
    assert "Overdue" not in calm.stdout
