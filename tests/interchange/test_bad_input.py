"""Malformed and invalid input: one line per problem saying where and why, exit status 1,
and a database exactly as before (compared by exporting it before and after)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpotui.interchange import inputs as sources
from tests.interchange.conftest import FILES, SAMPLE_TOML, export, kpotui

# (file in tests/interchange/files, --kind, every problem line expected on stderr)
CASES: list[tuple[str, str | None, list[str]]] = [
    ("bad_utf8.csv", "providers", ["bad_utf8.csv:3: not valid UTF-8 (byte 0xff)"]),
    ("nul_byte.csv", "providers", ["nul_byte.csv:2: country: contains a NUL character"]),
    (
        "unterminated_quote.csv",
        "providers",
        ["unterminated_quote.csv:3: unterminated quoted cell: its closing quote is missing"],
    ),
    ("ragged_row.csv", "providers", ["ragged_row.csv:3: 3 cells, but the header has 2"]),
    (
        "unknown_column.csv",
        "providers",
        ["unknown_column.csv:1: colour: unknown column for providers (known: name, country,"],
    ),
    ("duplicate_column.csv", "providers", ["duplicate_column.csv:1: name: column given twice"]),
    (
        "missing_key_column.csv",
        "deliverables",
        ["missing_key_column.csv:1: title: column missing: it is part of the deliverable's key"],
    ),
    ("empty.csv", "providers", ["empty.csv: empty file: a header row is required"]),
    (
        "header_only_blank.csv",
        "providers",
        ["header_only_blank.csv:1: the first line must be the header row (field names)"],
    ),
    # the bad row starts on line 5: the row before it has a cell of three lines
    (
        "end_before_start.csv",
        "contracts",
        ["end_before_start.csv:5: end_date: before the start date (2025-03-01)"],
    ),
    (
        "several_problems_one_record.csv",
        "contracts",
        [  # every problem of the record at once, in the order of its fields
            "several_problems_one_record.csv:2: provider: no provider named 'Nobody Ltd'",
            "several_problems_one_record.csv:2: end_date: before the start date (2025-03-01)",
            "several_problems_one_record.csv:2: value: must not be negative: -5",
        ],
    ),
    (
        "bad_enum.csv",
        "contracts",
        [
            "bad_enum.csv:2: status: 'finished' is not one of "
            "draft, active, on-hold, completed, terminated"
        ],
    ),
    (
        "bad_date.csv",
        "deliverables",
        ["bad_date.csv:2: due_date: 2025-02-30 is not a day in February 2025"],
    ),
    (
        "money_three_decimals.csv",
        "deliverables",
        ["money_three_decimals.csv:2: amount: at most two decimals: 12.345"],
    ),
    (
        "negative_money.csv",
        "deliverables",
        ["negative_money.csv:2: amount: must not be negative: -5.00"],
    ),
    (
        "unknown_reference.csv",
        "deliverables",
        ["unknown_reference.csv:2: contract: no contract named 'ENG-9999-999'"],
    ),
    (
        "duplicate_in_file.csv",
        "providers",
        ["duplicate_in_file.csv:4: name: 'Twice Ltd' is given more than once in this import"],
    ),
    (
        "existing_key.csv",
        "providers",
        [
            "existing_key.csv:2: name: a provider 'Meridian Analytics Pvt Ltd' already exists "
            "(see --on-conflict)"
        ],
    ),
    ("missing_required.csv", "contracts", ["missing_required.csv:2: title: required"]),
    (
        "quality_out_of_range.csv",
        "deliverables",
        ["quality_out_of_range.csv:2: quality_score: must be at most 5, got 7"],
    ),
    (
        "bad_boolean.csv",
        "contracts",
        ["bad_boolean.csv:2: auto_renew: expected true or false, got 'maybe'"],
    ),
    (
        "bad_email.csv",
        "providers",
        ["bad_email.csv:2: contact_email: not an e-mail address: 'not-an-address'"],
    ),
    (
        "bad_list_choice.csv",
        "providers",
        ["bad_list_choice.csv:2: services: 'cooking' is not one of market-research,"],
    ),
    (
        "stray_quote.csv",
        "providers",
        ["stray_quote.csv:2: malformed CSV: ',' expected after '\"'"],
    ),
    (
        "accepted_before_submitted.csv",
        "deliverables",
        ["accepted_before_submitted.csv:2: accepted_date: before the submitted date (2025-03-10)"],
    ),
    ("invalid.toml", None, ["invalid.toml:4: invalid TOML: "]),
    (
        "missing_format.toml",
        None,
        ['missing_format.toml: format: missing: the document must say format = "kpotui/1"'],
    ),
    (
        "wrong_format.toml",
        None,
        ["wrong_format.toml: format: 'kpotui/2' is not supported (expected 'kpotui/1')"],
    ),
    (
        "unknown_top_key.toml",
        None,
        [
            "unknown_top_key.toml: contract: unknown key "
            "(expected format, reference_date, providers,"
        ],
    ),
    (
        "unknown_field.toml",
        None,
        ["unknown_field.toml: contracts[1].colour: unknown field for a contract"],
    ),
    (
        "end_before_start.toml",
        None,
        ["end_before_start.toml: contracts[0].end_date: before the start date (2025-03-01)"],
    ),
    (
        "datetime_for_date.toml",
        None,
        [
            "datetime_for_date.toml: deliverables[0].due_date: "
            "not a date in YYYY-MM-DD form: '2025-07-01T10:00:00'"
        ],
    ),
    (
        "not_an_array.toml",
        None,
        ["not_an_array.toml: providers: expected an array of tables, got a string"],
    ),
    ("bad_utf8.toml", None, ["bad_utf8.toml:3: not valid UTF-8 (byte 0xc3)"]),
    (
        "money_as_float_too_precise.toml",
        None,
        ["money_as_float_too_precise.toml: deliverables[0].amount: at most two decimals: 10.005"],
    ),
    ("invalid.json", None, ["invalid.json:3: invalid JSON: Expecting property name"]),
    (
        "duplicate_key.json",
        None,
        ["duplicate_key.json: providers[0].name: given twice in the same object"],
    ),
    ("nan.json", None, ["nan.json: tasks[0].hours_per_month: not a finite number"]),
    (
        "top_level_array.json",
        None,
        ["top_level_array.json: expected an object at the top level, got an array"],
    ),
    (
        "item_not_object.json",
        None,
        ["item_not_object.json: providers[1]: expected an object, got a string"],
    ),
    (
        "wrong_type.json",
        None,
        ["wrong_type.json: contracts[0].notice_days: not a number: 'ninety'"],
    ),
    (
        "list_not_list.json",
        None,
        ["list_not_list.json: providers[0].services: expected a list, got int"],
    ),
    # the contract naming the broken provider is not reported a second time
    (
        "reference_to_failed_row.json",
        None,
        ["reference_to_failed_row.json: providers[0].contact_email: not an e-mail address: 'nope'"],
    ),
]


def test_every_file_is_used() -> None:
    assert sorted(name for name, _, _ in CASES) == sorted(p.name for p in FILES.iterdir())


@pytest.mark.parametrize(("name", "kind", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_with_its_location_and_nothing_written(
    sample_db: str,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    kind: str | None,
    expected: list[str],
) -> None:
    before = export(sample_db)
    monkeypatch.chdir(FILES)
    args = ["import", name] + (["--kind", kind] if kind else [])
    result = kpotui(sample_db, *args)
    assert result.exit_code == 1, result.output
    problems = result.stderr.splitlines()
    assert len(problems) == len(expected) + 1, result.stderr
    for line, fragment in zip(problems, expected, strict=False):
        assert line.startswith(fragment), (line, fragment)
    assert problems[-1].startswith("kpotui: ") and "nothing was written" in problems[-1]
    assert "Traceback" not in result.output
    assert export(sample_db) == before


def test_a_bad_file_stops_the_good_ones_too(sample_db: str, tmp_path: Path) -> None:
    before = export(sample_db)
    good = tmp_path / "providers.csv"
    good.write_text("name\nPerfectly Fine Ltd\n")
    bad = tmp_path / "deliverables.csv"
    bad.write_text("contract,title,due_date\nENG-2023-004,Fine,2025-08-01\nENG-2023-004,Bad,soon\n")
    result = kpotui(sample_db, "import", str(good), str(bad))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{bad}:3: due_date: not a date in YYYY-MM-DD form: 'soon'"
    )
    result = kpotui(sample_db, "import", str(good), str(FILES / "invalid.json"))
    assert result.exit_code == 1
    assert "invalid.json:3: invalid JSON" in result.stderr
    assert export(sample_db) == before


def test_every_problem_is_listed_up_to_a_cap(sample_db: str, tmp_path: Path) -> None:
    before = export(sample_db)
    bad = tmp_path / "deliverables.csv"
    rows = "".join(f"ENG-2023-004,Bad {i},2025-13-{i % 28 + 1:02d}\n" for i in range(150))
    bad.write_text("contract,title,due_date\n" + rows)
    result = kpotui(sample_db, "import", str(bad))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 102
    assert lines[0].endswith("deliverables.csv:2: due_date: 2025-13-01 has no month 13")
    assert lines[99].startswith(f"{bad}:101: due_date:")
    assert lines[100] == "... and 50 more"
    assert lines[101] == "kpotui: 150 problems found; nothing was written"
    assert export(sample_db) == before


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["missing.csv"], "missing.csv: no such file or directory"),
        (["firm.xml"], "firm.xml: cannot tell the format: name it .toml, .json or .csv"),
        (["things.csv"], "things.csv: cannot tell the kind from the file name"),
        (["-"], "<stdin>: cannot tell the format"),
        (["--kind", "providers", "firm.toml"], "firm.toml: --kind applies to CSV files only"),
        (["."], ".: is a directory"),
    ],
)
def test_inputs_that_cannot_be_read(
    sample_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "firm.xml").write_text("<firm/>")
    (tmp_path / "things.csv").write_text("name\nx\n")
    (tmp_path / "firm.toml").write_bytes(SAMPLE_TOML.read_bytes())
    before = export(sample_db)
    result = kpotui(sample_db, "import", *args, stdin=b"")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == expected or result.stderr.startswith(expected)
    assert export(sample_db) == before


def test_absurd_sizes_are_refused_before_reading(
    sample_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "MAX_DOCUMENT_BYTES", 2**20)
    monkeypatch.setattr(sources, "MAX_CSV_BYTES", 2**20)
    big = tmp_path / "firm.json"
    big.write_bytes(b" " * (2**20 + 1))
    before = export(sample_db)
    result = kpotui(sample_db, "import", str(big))
    assert result.exit_code == 1
    assert f"{big}: 1 MiB: larger than the 1 MiB limit" in result.stderr
    # standard input cannot be measured first: it is cut off at the limit
    result = kpotui(sample_db, "import", "--format", "json", "-", stdin=b" " * (2**20 + 1))
    assert "<stdin>: larger than the 1 MiB limit (use CSV for more)" in result.stderr
    one_huge_cell = b'name\n"' + b"x" * 2**20
    result = kpotui(sample_db, "import", "--kind", "providers", "-", stdin=one_huge_cell)
    assert result.exit_code == 1
    assert "<stdin>: larger than 1 MiB" in result.stderr
    assert export(sample_db) == before
