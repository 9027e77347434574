"""Export -> import into an empty database -> export gives the same bytes, in every encoding;
re-importing changes nothing; every value survives, however awkward."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kpotui.services import audit, history, records
from kpotui.store import open_store
from tests.interchange.conftest import SAMPLE_TOML, SHORT_FIRM, export, kpotui

KIND_FILES = ["providers", "contracts", "deliverables", "tasks", "notes", "decisions", "rates"]


def _round_trip(db: str, empty: str, encoding: str, tmp_path: Path) -> None:
    """Export ``db``, import that into ``empty``, export again: the bytes must match, and
    the records must be those of ``db`` (compared through JSON, which loses nothing)."""
    if encoding == "csv":
        first, second = tmp_path / "first", tmp_path / "second"
        assert kpotui(db, "export", "--format", "csv", "-o", str(first)).exit_code == 0
        files = [str(first / f"{kind}.csv") for kind in reversed(KIND_FILES)]  # any order
        result = kpotui(empty, "import", *files)
        assert result.exit_code == 0, result.output
        assert kpotui(empty, "export", "--format", "csv", "-o", str(second)).exit_code == 0
        for kind in KIND_FILES:
            assert (first / f"{kind}.csv").read_bytes() == (second / f"{kind}.csv").read_bytes()
    else:
        exported = export(db, encoding)
        result = kpotui(empty, "import", "--format", encoding, "-", stdin=exported)
        assert result.exit_code == 0, result.output
        assert export(empty, encoding) == exported
    assert export(empty, "json") == export(db, "json")


@pytest.mark.parametrize("encoding", ["toml", "json", "csv"])
def test_sample_firm_round_trip_is_byte_identical(
    sample_db: str, empty_db: str, tmp_path: Path, encoding: str
) -> None:
    _round_trip(sample_db, empty_db, encoding, tmp_path)


@pytest.mark.parametrize("encoding", ["toml", "json", "csv"])
def test_one_short_record_of_every_kind_round_trips(
    db_url: str, empty_db: str, tmp_path: Path, encoding: str
) -> None:
    result = kpotui(db_url, "import", "--format", "json", "-", stdin=json.dumps(SHORT_FIRM))
    assert result.exit_code == 0, result.output
    _round_trip(db_url, empty_db, encoding, tmp_path)


AWKWARD_TEXT = (
    'He said "hello", then left; commas, "quotes" and \'apostrophes\'\n'
    "second line\r\nthird line after CRLF\rlone CR\ttab\u2028line separator "
    "Привет мир, 你好世界, مرحبا بالعالم, नमस्ते दुनिया, 🤝🏽 👩‍💻 🇮🇳 \\backslash\\ "
    '""" triple quotes ]] [[providers]] trailing spaces   '
)


def _awkward_document() -> dict[str, object]:
    """Values chosen to break naive CSV, TOML and JSON writers and spreadsheet importers."""
    risky = ["=SUM(A1:A9)", "+44 20 7946 0000", "-5% fee", "@handle", "'=already quoted", "''"]
    providers = [
        {
            "name": name,
            "country": "Côte d'Ivoire",
            "services": ["content", "legal"],
            "certifications": ["ISO 27001, annex A", 'SOC 2 "Type II"', "=cmd|' /C calc'!A0"],
            "contact_email": "a+b@例え.jp",
            "notes": f"{name}\n{AWKWARD_TEXT}",
        }
        for name in risky
    ]
    providers.append({"name": "Ünïcödé ☃ provider", "notes": "x" * 200_000})
    contract = {
        "code": "=ENG-1",
        "title": "-Negative-looking title, with a comma",
        "provider": "-5% fee",
        "service_line": "content",
        "status": "active",
        "start_date": "2025-01-01",
        "end_date": "2025-12-31",
        "value": "1234567.89",
        "currency": "JPY",
        "in_house_estimate": "0.10",
        "notice_days": 0,
        "auto_renew": True,
        "nda_signed": False,
        "compliance": ["GDPR", "日本の法律"],
        "owner": "@owner",
        "description": "\t" + AWKWARD_TEXT,
    }
    deliverable = {
        "contract": "=ENG-1",
        "title": "+Plus title " + "y" * 480,
        "due_date": "2025-02-28",
        "status": "rework",
        "submitted_date": "2025-02-01",
        "quality_score": 1,
        "amount": "0.01",
        "description": "\r" + AWKWARD_TEXT,
    }
    task = {
        "name": "'quoted' task",
        "classification": "core",
        "sourcing": "outsourced",
        "contract": "=ENG-1",
        "hours_per_month": "0.1",
        "in_house_monthly_cost": "9999999.99",
        "notes": "@" + AWKWARD_TEXT,
    }
    note = {
        "title": "Note: ключевые знания 🔑",
        "body": '# Heading\n\n- item, with comma\n- "quoted"\n\n' + AWKWARD_TEXT,
        "kind": "runbook",
        "task": "'quoted' task",
        "provider": "=SUM(A1:A9)",
        "tags": ["=tag", "-tag", "tag with space", "标签"],
        "review_by": "2026-02-28",
    }
    decision = {
        "contract": "=ENG-1",
        "date": "2025-03-01",
        "summary": '-Dropped, then "re-added"',
        "made_by": "provider",
        "reversible": False,
        "impact": "high",
        "rationale": AWKWARD_TEXT,
    }
    rates = [  # trailing zeros, the most decimals and the largest rate (written canonically)
        {"currency": "usd", "date": "2025-03-01", "rate": "0.9000"},
        {"currency": "JPY", "date": "2025-03-01", "rate": "0.000000000001"},
        {"currency": "XAU", "date": "2025-03-01", "rate": "999999999.999999999999"},
    ]
    return {
        "format": "kpotui/1",
        "providers": providers,
        "contracts": [contract],
        "deliverables": [deliverable],
        "tasks": [task],
        "notes": [note],
        "decisions": [decision],
        "rates": rates,
    }


@pytest.fixture
def awkward_db(db_url: str) -> str:
    document = json.dumps(_awkward_document(), ensure_ascii=False).encode()
    result = kpotui(db_url, "import", "--format", "json", "-", stdin=document)
    assert result.exit_code == 0, result.output
    return db_url


def test_awkward_values_are_stored_exactly(awkward_db: str) -> None:
    store = open_store(awkward_db)
    try:
        contract = records.find(store, "contract", {"code": "=ENG-1"})
        assert contract is not None
        stored_text = AWKWARD_TEXT.replace("\r\n", "\n").replace("\r", "\n")  # CRs become LF
        assert contract["description"] == "\t" + stored_text
        assert contract["provider"] == "-5% fee"
        assert contract["compliance"] == ["GDPR", "日本の法律"]
        note = records.find(store, "note", {"title": "Note: ключевые знания 🔑"})
        assert note is not None
        assert note["tags"] == ["=tag", "-tag", "tag with space", "标签"]
        quoted = records.find(store, "provider", {"name": "'=already quoted"})
        assert quoted is not None and quoted["certifications"][2] == "=cmd|' /C calc'!A0"
        long = records.find(store, "provider", {"name": "Ünïcödé ☃ provider"})
        assert long is not None and len(long["notes"]) == 200_000
    finally:
        store.close()


@pytest.mark.parametrize("encoding", ["toml", "json", "csv"])
def test_awkward_values_round_trip_byte_identical(
    awkward_db: str, empty_db: str, tmp_path: Path, encoding: str
) -> None:
    _round_trip(awkward_db, empty_db, encoding, tmp_path)


def test_csv_export_neutralises_formulas_reversibly(awkward_db: str, tmp_path: Path) -> None:
    assert (
        kpotui(awkward_db, "export", "-o", str(tmp_path / "out"), "--format", "csv").exit_code == 0
    )
    providers = (tmp_path / "out" / "providers.csv").read_text(encoding="utf-8")
    lines = [line.split(",", 1)[0] for line in providers.splitlines()[1:] if line[:1] != " "]
    assert "'=SUM(A1:A9)" in lines
    assert "'-5% fee" in lines
    assert "'@handle" in lines
    assert "''=already quoted" in lines
    # no cell of any exported file starts a formula
    for kind in KIND_FILES:
        import csv

        with (tmp_path / "out" / f"{kind}.csv").open(newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), (kind, cell[:20])


def test_reimport_with_update_changes_nothing_and_says_so(sample_db: str, tmp_path: Path) -> None:
    before = export(sample_db, "json")
    store = open_store(sample_db)
    try:
        events_before = len(audit.recent(store, limit=100_000))
        version_before = records.find(store, "contract", {"code": "ENG-2023-004"})
    finally:
        store.close()
    result = kpotui(sample_db, "import", "--on-conflict", "update", str(SAMPLE_TOML))
    assert result.exit_code == 0, result.output
    assert "contracts: 0 added, 0 updated, 10 unchanged, 0 skipped" in result.stdout
    assert "deliverables: 0 added, 0 updated, 64 unchanged, 0 skipped" in result.stdout
    assert "0 records written" in result.stdout
    assert export(sample_db, "json") == before
    store = open_store(sample_db)
    try:
        assert len(audit.recent(store, limit=100_000)) == events_before
        assert records.find(store, "contract", {"code": "ENG-2023-004"}) == version_before
    finally:
        store.close()


def test_update_changes_only_what_the_file_gives(sample_db: str, tmp_path: Path) -> None:
    edited = tmp_path / "contracts.csv"
    edited.write_text("code,status,owner\nENG-2024-011,completed,New Owner\nENG-1,,\n")
    result = kpotui(sample_db, "import", "--on-conflict", "update", str(edited))
    assert result.exit_code == 1
    assert "contracts.csv:3: title: required" in result.stderr  # a new contract needs it all
    edited.write_text("code,status,owner\nENG-2024-011,completed,New Owner\nENG-2024-002,,\n")
    result = kpotui(sample_db, "import", "--on-conflict", "update", str(edited))
    assert result.exit_code == 0, result.output
    assert "contracts: 0 added, 1 updated, 1 unchanged, 0 skipped" in result.stdout
    store = open_store(sample_db)
    try:
        contract = records.find(store, "contract", {"code": "ENG-2024-011"})
        assert contract is not None
        assert (contract["status"], contract["owner"], contract["version"]) == (
            "completed",
            "New Owner",
            2,
        )
        assert contract["title"].startswith("ESG screening")  # not given: kept
        events = history.record_history(store, "contract", contract["id"])
        assert events[-1]["changes"] == {
            "status": ["active", "completed"],
            "owner": ["Zoë Hartmann", "New Owner"],
        }
    finally:
        store.close()


def test_skip_keeps_existing_records_and_adds_new_ones(sample_db: str, tmp_path: Path) -> None:
    edited = tmp_path / "providers.csv"
    edited.write_text("name,country\nMeridian Analytics Pvt Ltd,Nowhere\nNew Provider Ltd,Kenya\n")
    result = kpotui(sample_db, "import", "--on-conflict", "skip", str(edited))
    assert result.exit_code == 0, result.output
    assert "providers: 1 added, 0 updated, 0 unchanged, 1 skipped" in result.stdout
    store = open_store(sample_db)
    try:
        meridian = records.find(store, "provider", {"name": "Meridian Analytics Pvt Ltd"})
        assert meridian is not None and meridian["country"] == "India"
        assert records.find(store, "provider", {"name": "New Provider Ltd"}) is not None
    finally:
        store.close()


def test_dry_run_validates_and_writes_nothing(db_url: str) -> None:
    result = kpotui(db_url, "import", "--dry-run", str(SAMPLE_TOML))
    assert result.exit_code == 0, result.output
    assert "providers: 5 added" in result.stdout
    assert "dry run" in result.stdout
    store = open_store(db_url)
    try:
        assert set(records.counts(store).values()) == {0}
    finally:
        store.close()


def test_references_resolve_whatever_the_order(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "deliverables.csv").write_text(
        "contract,title,due_date\nC-1,First,2025-01-31\nC-1,Second,2025-02-28\n"
    )
    (tmp_path / "contracts.csv").write_text(
        "code,title,provider,service_line,start_date\nC-1,Pilot,P One,legal,2025-01-01\n"
    )
    document = tmp_path / "more.json"
    document.write_text(
        json.dumps(
            {
                "format": "kpotui/1",
                "decisions": [
                    {"contract": "C-1", "date": "2025-01-05", "summary": "S", "made_by": "provider"}
                ],
                "providers": [{"name": "P One"}],
            }
        )
    )
    files = [tmp_path / "deliverables.csv", document, tmp_path / "contracts.csv"]
    result = kpotui(db_url, "import", *map(str, files))
    assert result.exit_code == 0, result.output
    assert "deliverables: 2 added" in result.stdout
    store = open_store(db_url)
    try:
        contract = records.find(store, "contract", {"code": "C-1"})
        assert contract is not None and contract["provider"] == "P One"
        assert contract["currency"] == "EUR"  # the firm's default
    finally:
        store.close()
