"""``kpotui report`` and ``kpotui list`` on the sample firm, figures worked out by hand.

The sample's "today" is 2025-06-30. Open deliverables are planned, in progress or in
rework; "due soon" means due from today to today + 14 days (2025-07-14) inclusive.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.interchange.conftest import SAMPLE_DIR, kpotui

TODAY = {"KPOTUI_TODAY": "2025-06-30"}


@pytest.fixture
def csv_sample_db(db_url: str) -> str:
    """A new database filled the way the issue says: ``kpotui import sample_data/*.csv``."""
    files = sorted(str(path) for path in SAMPLE_DIR.glob("*.csv"))
    assert len(files) == 7
    result = kpotui(db_url, "import", *files)
    assert result.exit_code == 0, result.output
    return db_url


def _json(db: str, *args: str) -> dict:
    result = kpotui(db, *args, "--format", "json", env=TODAY)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_summary_of_the_sample_firm(csv_sample_db: str) -> None:
    summary = _json(csv_sample_db, "report", "summary")
    assert summary["today"] == "2025-06-30"
    assert summary["records"] == {
        "provider": 5,
        "contract": 10,
        "deliverable": 64,
        "task": 30,
        "note": 25,
        "decision": 20,
        "rate": 0,
    }
    # Overdue: Q1 2025 roll-forward - US Healthcare (rework, due 05-16), Controversy monitor
    # May digest (rework, 06-10), Job-postings scraper migration (in progress, 06-13),
    # HM Treasury SI summary (planned, 06-20), Sector Outlook H2 layout (in progress, 06-25).
    assert summary["overdue_deliverables"] == 5
    # Due 06-30..07-14: Q2 horizon scan (06-30), June model pack (07-03), June house-style
    # edit (07-04), June alt-data QA (07-07), Q2 Banks previews (07-08), chart template in
    # rework (07-09), Q2 ESG screen (07-10), June controversy digest (07-11), Q2
    # Industrials previews (07-14). Q2 Healthcare/TMT previews (07-17) are outside.
    assert summary["due_in_14_days"] == 9
    # Outsourced or hybrid core activities: ESG controversy scoring has no owner; Alt-data
    # signal construction's only note was due for review on 2025-03-31. The other four
    # have an owner and a note not yet due for review.
    assert summary["outsourced_core_at_risk"] == 2
    # 15 outsourced/hybrid activities; with an owner and a fresh note: model maintenance,
    # preview drafting, deep-dives, healthcare patents, copy-editing, charts, research
    # payment account administration, web-scraper maintenance.
    assert summary["retention_covered"] == {"covered": 8, "outsourced": 15}
    # ENG-2023-004 ends 08-31 with 90 days' notice (deadline 06-02) and ENG-2024-011 ends
    # 07-31 with 45 days (deadline 06-16); ENG-2024-005's deadline is 07-02, within the 30
    # days' warning. ENG-2025-004 (on hold, deadline 10-01) is not near; none has lapsed.
    assert summary["contracts_in_notice"] == 3
    assert summary["contracts_lapsed"] == 0
    # Q2 2025 holds 10 decisions, 6 by providers (04-09, 04-24, 05-06, 05-20, 06-12, 06-18),
    # of which 04-24, 05-06 and 06-12 cannot be undone.
    assert summary["provider_decisions_this_quarter"] == 6
    assert summary["irreversible_provider_decisions_this_quarter"] == 3
    # USD spend of live contracts: Meridian 552,000 + 288,000 = 840,000 of 1,152,000
    # (the draft credit pilot and the contracts completed or terminated do not count).
    # The sample has no rates, so each currency is shared out on its own.
    largest = summary["largest_provider_share"]
    usd = {"provider": "Meridian Analytics Pvt Ltd", "share": 0.7292, "currency": "USD"}
    assert usd in largest and len(largest) == 3


def test_summary_as_text_shows_retention_as_one_figure(csv_sample_db: str) -> None:
    result = kpotui(csv_sample_db, "report", "summary", env=TODAY)
    assert result.exit_code == 0, result.output
    line = next(row for row in result.stdout.splitlines() if row.startswith("retention"))
    assert line.split() == ["retention", "covered", "8", "of", "15"]


def test_overdue_report_lists_the_five(csv_sample_db: str) -> None:
    report = _json(csv_sample_db, "report", "overdue")
    assert report["overdue_count"] == 5
    assert [item["due_date"] for item in report["overdue"]] == [
        "2025-05-16",
        "2025-06-10",
        "2025-06-13",
        "2025-06-20",
        "2025-06-25",
    ]
    assert report["overdue"][0]["days_late"] == 45
    assert len(report["due_soon"]) == 9


def test_risk_costs_providers_and_decisions_reports(csv_sample_db: str) -> None:
    risk = _json(csv_sample_db, "report", "risk")
    assert sorted(a["name"] for a in risk["outsourced_core_at_risk"]) == [
        "Alt-data signal construction",
        "ESG controversy scoring",
    ]
    inside = [r["code"] for r in risk["renewals"] if r["inside_notice"]]
    assert inside == ["ENG-2024-011", "ENG-2023-004"]
    costs = _json(csv_sample_db, "report", "costs")
    meridian = next(c for c in costs["by_contract"] if c["provider"].startswith("Meridian"))
    # ENG-2023-004 and ENG-2024-002: value 552,000 + 288,000, in-house 864,000 + 420,000
    assert (meridian["value"], meridian["in_house_estimate"]) == (840000, 1284000)
    providers = _json(csv_sample_db, "report", "providers")
    thornbury = next(p for p in providers["providers"] if p["provider"].startswith("Thornbury"))
    # 5 deliverables, 3 submitted (2 on time), quality 5, 5, 4; the SI summary is overdue
    assert (thornbury["deliverables"], thornbury["delivered"], thornbury["on_time"]) == (5, 3, 2)
    assert thornbury["average_quality"] == pytest.approx(4.67)
    assert thornbury["overdue"] == 1
    # all 3 accepted at the first submission: none sent back
    assert (thornbury["accepted"], thornbury["first_time_right"]) == (3, 3)
    assert (thornbury["first_time_right_rate"], thornbury["rework_rounds"]) == (1.0, 0)
    decisions = _json(csv_sample_db, "report", "decisions")
    assert (decisions["start"], decisions["end"]) == ("2025-04-01", "2025-06-30")
    assert [d["date"] for d in decisions["items"] if not d["reversible"]] == [
        "2025-06-12",
        "2025-05-06",
        "2025-04-24",
    ]


def test_report_as_text_and_markdown(csv_sample_db: str) -> None:
    text = kpotui(csv_sample_db, "report", "overdue", env=TODAY)
    assert text.exit_code == 0, text.output
    assert "Overdue: 5" in text.stdout
    assert "\x1b[" not in text.stdout  # piped: plain text, no terminal codes
    line = next(row for row in text.stdout.splitlines() if row.startswith("2025-05-16"))
    assert "Q1 2025 roll-forward - US Healthcare (24 models)" in line
    markdown = kpotui(
        csv_sample_db, "report", "decisions", "--format", "md", "--today", "2025-06-30"
    )
    assert markdown.exit_code == 0, markdown.output
    assert markdown.stdout.startswith("# Decisions taken by providers this quarter")
    assert "| 2025-06-12 | ENG-2024-011 |" in markdown.stdout


def test_report_refuses_a_bad_kpotui_today(csv_sample_db: str) -> None:
    result = kpotui(csv_sample_db, "report", env={"KPOTUI_TODAY": "someday"})
    assert result.exit_code == 1
    assert result.stderr == "kpotui: KPOTUI_TODAY: not a date in YYYY-MM-DD form\n"


def test_list_json_is_import_input(csv_sample_db: str) -> None:
    result = kpotui(csv_sample_db, "list", "deliverables", "--status", "REWORK", "--format", "json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert listed["format"] == "kpotui/1"
    assert sorted(d["title"] for d in listed["deliverables"]) == [
        "Chart template library v3 (FactSet export styles)",
        "Controversy monitor - May 2025 digest",
        "Q1 2025 roll-forward - US Healthcare (24 models)",
    ]
    again = kpotui(
        csv_sample_db,
        "import",
        "--on-conflict",
        "update",
        "--format",
        "json",
        "-",
        stdin=result.stdout_bytes,
    )
    assert again.exit_code == 0, again.output
    assert "deliverables: 0 added, 0 updated, 3 unchanged, 0 skipped" in again.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # Meridian's deliverables due after 06-30: June pack, Insulet model, four Q2 preview
        # batches, and the two of the draft credit pilot
        (
            [
                "deliverables",
                "--provider",
                "Meridian Analytics Pvt Ltd",
                "--due-after",
                "2025-06-30",
            ],
            8,
        ),
        (["tasks", "--classification", "core", "--sourcing", "outsourced"], 4),
        (["notes", "--tag", "esg"], 2),
        (["contracts", "--search", "glp"], 1),
        (["deliverables", "--contract", "ENG-2025-002", "--status", "accepted"], 3),
        (["decisions", "--limit", "3"], 3),
    ],
)
def test_list_filters(csv_sample_db: str, args: list[str], expected: int) -> None:
    result = kpotui(csv_sample_db, "list", *args, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert len(rows) == expected + 1  # header


def test_list_tables_end_with_the_figures_worked_out_from_history(csv_sample_db: str) -> None:
    result = kpotui(csv_sample_db, "list", "providers", "--search", "Thornbury")
    assert result.exit_code == 0, result.output
    header, _, row = result.stdout.splitlines()
    assert header.split()[-3:] == ["on_time", "first_time_right", "rework_rounds"]
    assert row.split()[-3:] == ["67%", "100%", "0"]  # 2 of 3 on time, 3 of 3 right at once
    result = kpotui(csv_sample_db, "list", "deliverables", "--status", "rework", "--limit", "1")
    header, _, row = result.stdout.splitlines()
    assert header.split()[-2:] == ["first_submitted_date", "rework_rounds"]
    assert row.split()[-1] == "1", "imported in rework: one round"


def test_list_sorts_and_shows_a_plain_table(csv_sample_db: str) -> None:
    result = kpotui(csv_sample_db, "list", "decisions", "--sort", "-date", "--limit", "3")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "contract",
        "date",
        "summary",
        "made_by",
        "decided_by",
        "reversible",
        "impact",
        "status",
    ]
    assert [line.split()[1] for line in lines[2:]] == ["2025-06-24", "2025-06-20", "2025-06-18"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["widgets"], "kpotui: unknown kind 'widgets' (known: providers, contracts,"),
        (["tasks", "--status", "active"], "kpotui: --status does not apply to tasks"),
        (["contracts", "--status", "finished"], "kpotui: --status: 'finished' is not one of"),
        (["tasks", "--due-before", "2025-01-01"], "kpotui: --due-before does not apply to tasks"),
        (["contracts", "--tag", "x"], "kpotui: --tag does not apply to contracts"),
        (["contracts", "--sort", "colour"], "kpotui: --sort: contracts have no field 'colour'"),
    ],
)
def test_list_refuses_filters_that_do_not_apply(
    csv_sample_db: str, args: list[str], expected: str
) -> None:
    result = kpotui(csv_sample_db, "list", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith(expected), result.stderr


def test_risk_report_shows_lapsed_and_rolled_on_contracts(db_url: str) -> None:
    """As of 2026-12-03: ENG-ROLL (ended 2025-08-31, auto-renews every 12 months, 90 days'
    notice) has rolled on to 2027-08-31 with notice by 2027-06-02; ENG-GONE ended
    2026-11-02 and is still active."""
    firm = {
        "format": "kpotui/1",
        "providers": [{"name": "P"}],
        "contracts": [
            {
                "code": "ENG-ROLL",
                "title": "Rolls",
                "provider": "P",
                "service_line": "legal",
                "status": "active",
                "start_date": "2024-09-01",
                "end_date": "2025-08-31",
                "notice_days": 90,
                "auto_renew": True,
                "renewal_term_months": 12,
            },
            {
                "code": "ENG-GONE",
                "title": "Lapsed",
                "provider": "P",
                "service_line": "legal",
                "status": "active",
                "start_date": "2025-11-03",
                "end_date": "2026-11-02",
                "notice_days": 30,
            },
        ],
    }
    imported = kpotui(db_url, "import", "-", "--format", "json", stdin=json.dumps(firm))
    assert imported.exit_code == 0, imported.output
    setting = kpotui(db_url, "setting", "set", "notice_warning_days", "200")  # to 2027-06-21
    assert setting.exit_code == 0, setting.output

    report = _json(db_url, "report", "risk", "--today", "2026-12-03")
    assert (report["contracts_in_notice"], report["contracts_lapsed"]) == (1, 1)
    gone, rolled = report["renewals"]
    assert (gone["code"], gone["lapsed"], gone["end_date"]) == ("ENG-GONE", True, "2026-11-02")
    assert gone["outlook"] == "ended 2026-11-02, still active: renew, complete or terminate"
    assert (rolled["code"], rolled["end_date"], rolled["term_end"]) == (
        "ENG-ROLL",
        "2025-08-31",
        "2027-08-31",
    )
    assert (rolled["notice_deadline"], rolled["rolled"]) == ("2027-06-02", True)

    text = kpotui(db_url, "report", "risk", "--today", "2026-12-03")
    assert text.exit_code == 0, text.output
    assert "Contracts ending or renewing soon: 1, lapsed: 1" in text.stdout
    lines = text.stdout.splitlines()
    assert any("ENG-GONE" in line and "still active: renew" in line for line in lines)
    assert any(
        line.startswith("2027-08-31") and "renews to 2027-08-31 unless notice by 2027-06-02" in line
        for line in lines
    )


def test_sla_report_lists_contracts_with_targets_and_fails_on_breach(csv_sample_db: str) -> None:
    # ENG-2023-004 wants 90% on time: 2 of the 5 due in 2025Q2 were; ENG-2024-002 wants
    # 95%: 5 of 6. Each has at least 3 due (sla_min_deliverables), so both are breaches.
    report = _json(csv_sample_db, "report", "sla")
    assert (report["period"], report["sla_min_deliverables"], report["breaches"]) == (None, 3, 2)
    rows = {row["contract"]: row for row in report["contracts"]}
    assert set(rows) == {"ENG-2023-004", "ENG-2024-002"}
    first = rows["ENG-2023-004"]
    assert (first["period"], first["due"], first["on_time_pct"]) == ("2025Q2", 5, 40.0)
    assert first["breaches"] == ["on_time"]
    assert rows["ENG-2024-002"]["breaches"] == ["on_time"]

    failed = kpotui(csv_sample_db, "report", "sla", "--fail-on", "breach", env=TODAY)
    assert failed.exit_code == 1 and "40% ≥90% !" in failed.stdout
    earlier = ["report", "sla", "--period", "2025-01", "--fail-on", "breach"]
    quiet = kpotui(csv_sample_db, *earlier, env=TODAY)
    assert quiet.exit_code == 0, quiet.output
    assert "in 2025-01, as of 2025-06-30: 0 breaches" in quiet.stdout
    one = _json(csv_sample_db, "report", "sla", "--provider", "Wisła Research Partners sp. z o.o.")
    assert one["contracts"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sla", "--period", "2025Q5"], "period '2025Q5': not a quarter such as 2026Q3"),
        (["sla", "--provider", "Nobody"], "no provider named 'Nobody'"),
        (["costs", "--fail-on", "breach"], "--fail-on: not an option of 'report costs'"),
    ],
)
def test_sla_report_refuses_mistakes_in_one_line(
    csv_sample_db: str, args: list[str], message: str
) -> None:
    result = kpotui(csv_sample_db, "report", *args, env=TODAY)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"kpotui: {message}") and result.stderr.count("\n") == 1
