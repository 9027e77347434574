"""``kpotui list`` and ``report`` options a script relies on: a mistyped name is an error
(not an empty list), several statuses at once, and dates relative to today."""

from __future__ import annotations

import csv
import io

import pytest

from tests.interchange.conftest import kpotui

TODAY = {"KPOTUI_TODAY": "2025-06-30"}


def _rows(db: str, *args: str, env: dict[str, str] | None = None) -> list[list[str]]:
    result = kpotui(db, "list", *args, "--format", "csv", env=env)
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.stdout, newline="")))[1:]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["deliverables", "--provider", "meridian"],
            "--provider: no provider has the name 'meridian' "
            "(closest: 'Meridian Analytics Pvt Ltd')",
        ),
        (
            ["contracts", "--provider", "Thornbery Regulatory Advisory"],
            "--provider: no provider has the name 'Thornbery Regulatory Advisory' "
            "(closest: 'Thornbury Regulatory Advisory Ltd')",
        ),
        (
            ["deliverables", "--contract", "ENG-2025-02"],
            "--contract: no contract has the code 'ENG-2025-02' (closest: 'ENG-2025-002')",
        ),
        (["tasks", "--contract", "NOPE"], "--contract: no contract has the code 'NOPE'"),
        (["notes", "--tag", "esgg"], "--tag: no note has the tag 'esgg' (closest: 'esg')"),
        (["notes", "--tag", "NOPE"], "--tag: no note has the tag 'NOPE'"),
    ],
)
def test_an_unknown_name_is_refused_with_the_closest(
    sample_db: str, args: list[str], expected: str
) -> None:
    for fmt in ("table", "csv"):
        result = kpotui(sample_db, "list", *args, "--format", fmt)
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == f"kpotui: {expected}\n"


def test_a_known_name_without_matching_rows_is_an_empty_list(sample_db: str) -> None:
    provider = ["--provider", "Meridian Analytics Pvt Ltd"]
    assert _rows(sample_db, "deliverables", *provider, "--status", "cancelled") == []
    assert _rows(sample_db, "deliverables", *provider)


def test_a_name_in_another_case_is_the_same_record(sample_db: str) -> None:
    """Names are unique ignoring case, so a filter naming one in another case finds it."""
    exact = _rows(sample_db, "deliverables", "--provider", "Meridian Analytics Pvt Ltd")
    other = _rows(sample_db, "deliverables", "--provider", "  MERIDIAN analytics pvt ltd ")
    assert exact and other == exact
    assert _rows(sample_db, "deliverables", "--contract", "eng-2025-002")


def test_several_statuses_match_any_of_them(sample_db: str) -> None:
    active = _rows(sample_db, "contracts", "--status", "active")
    on_hold = _rows(sample_db, "contracts", "--status", "on-hold")
    assert active and on_hold
    both = _rows(sample_db, "contracts", "--status", "active, ON-HOLD")
    assert sorted(both) == sorted(active + on_hold)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("active,finished", "'finished' is not one of draft, active, on-hold, completed"),
        (",", "give one or more of draft, active, on-hold, completed, terminated"),
    ],
)
def test_every_status_in_a_list_is_checked(sample_db: str, value: str, expected: str) -> None:
    result = kpotui(sample_db, "list", "contracts", "--status", value)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"kpotui: --status: {expected}"), result.stderr


@pytest.mark.parametrize(
    ("relative", "absolute"),
    [
        (["--due-after", "yesterday", "--due-before", "+2w"], ["2025-06-29", "2025-07-14"]),
        (["--due-after", "-30d", "--due-before", "today"], ["2025-05-31", "2025-06-30"]),
        (["--due-after", "TODAY", "--due-before", "+4d"], ["2025-06-30", "2025-07-04"]),
    ],
)
def test_dates_relative_to_today(sample_db: str, relative: list[str], absolute: list[str]) -> None:
    after, before = absolute
    expected = _rows(sample_db, "deliverables", "--due-after", after, "--due-before", before)
    assert expected
    assert _rows(sample_db, "deliverables", *relative, env=TODAY) == expected
    # --today counts even when given after the dates that count from it
    assert _rows(sample_db, "deliverables", *relative, "--today", "2025-06-30") == expected


def test_report_today_can_be_relative(sample_db: str) -> None:
    result = kpotui(sample_db, "report", "--today", "-1w", env=TODAY)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Summary as of 2025-06-23\n")


def test_a_date_shaped_value_that_is_no_day_says_why(sample_db: str) -> None:
    for value, why in (
        ("2025-02-30", "2025-02-30 is not a day in February 2025"),
        ("2025-13-01", "2025-13-01 has no month 13"),
    ):
        result = kpotui(sample_db, "list", "deliverables", "--due-before", value)
        assert (result.exit_code, result.stderr) == (1, f"kpotui: --due-before: {why}\n")


@pytest.mark.parametrize("value", ["soon", "2025-0230", "+3x", "14d", "+"])
def test_a_bad_date_is_one_line_naming_the_option_and_the_forms(sample_db: str, value: str) -> None:
    result = kpotui(sample_db, "list", "deliverables", "--due-before", value)
    assert result.exit_code == 1
    assert result.stderr == (
        f"kpotui: --due-before: {value!r} is not a date (use YYYY-MM-DD, today, yesterday, "
        "tomorrow, or days or weeks from today: +14d, -30d, +2w)\n"
    )


def test_a_date_out_of_range_is_refused(sample_db: str) -> None:
    result = kpotui(sample_db, "report", "--today", "+999999w")
    assert (result.exit_code, result.stderr) == (1, "kpotui: --today: '+999999w' is out of range\n")
