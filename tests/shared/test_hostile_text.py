"""No control character reaches anyone's terminal.

A corpus of hostile strings goes through import (refused in one-line fields), and, stored
raw by SQL as older data or another tool would leave it, through every CLI output: ``list``
in every format, every report in every format, ``export``, error messages. Nothing that
leaves the program may hold a raw control character; CSV and the JSON/TOML documents must
still give back exactly what is stored.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

from kpotui.cli import main
from kpotui.cli.common import UserError
from kpotui.services.fields import KINDS
from kpotui.store import open_store

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "firm.toml"
AS_OF = "2025-06-30"

HOSTILE = {
    "CSI clear screen": "Evil\x1b[2J\x1b[HCorp",
    "OSC window title": "Evil\x1b]0;pwned\x07Corp",
    "OSC 8 hyperlink": "\x1b]8;;https://evil.example/\x1b\\Click me\x1b]8;;\x1b\\",
    "OSC 52 clipboard": "Paste\x1b]52;c;cm0gLXJmIH4K\x07",
    "BEL": "Ding\x07Dong",
    "carriage return": "Trusted\rEVIL!!!",
    "backspace": "Good\x08\x08\x08\x08Bad!",
    "NUL": "Nul\x00Byte",
    "C1 CSI": "Eight\x9b2Jbit",
    "C1 OSC and ST": "Eight\x9d0;title\x9c",
    "DEL": "Del\x7fete",
    "bidi override": "Invoice\u202eexe.pdf",
    "bidi isolate": "\u2067Isolated\u2069",
    "zero-width space": "Me\u200bridian",
    "line break": "Two\nLines",
    "tab": "Tab\tStop",
    "line separator": "Line\u2028Sep",
}
"""Refused in one-line fields; shown as escapes when stored."""
MULTI_LINE = "First line\r\nsecond\x1b]0;pwned\x07 line\rthird\x9b2J line\n\tindented\x7f"
"""Stored raw in the long-text fields (descriptions, notes, bodies)."""

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""A control character a terminal could act on (line feed and tab are data)."""
ONE_LINE_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069]"
)


def kpotui(db: Path, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args], input=stdin)


def assert_nothing_raw(output: str, what: str, *, one_line: bool = True) -> None:
    """No raw control character; with ``one_line``, no bidi or invisible one, no tab."""
    lines = output.split("\n")
    pattern = ONE_LINE_UNSAFE if one_line else RAW_CONTROL
    for number, line in enumerate(lines, 1):
        found = pattern.search(line)
        assert found is None, f"{what}: line {number} holds {found.group()!r}: {line!r}"


# Import


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    path = tmp_path / "firm.db"
    open_store(str(path)).close()
    return path


def _sources(value: str) -> dict[str, str]:
    """One provider named ``value`` in each encoding: file name -> content."""
    return {
        "providers.csv": 'name,country\n"' + value.replace('"', '""') + '",India\n',
        "firm.json": json.dumps({"format": "kpotui/1", "providers": [{"name": value}]}),
        "firm.toml": f'format = "kpotui/1"\n[[providers]]\nname = {json.dumps(value)}\n',
    }


WHERE = {"providers.csv": ":2: name: ", "firm.json": ": providers[0].name: "}


@pytest.mark.parametrize("case", list(HOSTILE))
@pytest.mark.parametrize("source", ["providers.csv", "firm.json", "firm.toml"])
def test_import_refuses_a_hostile_one_line_field(
    empty_db: Path, tmp_path: Path, case: str, source: str
) -> None:
    path = tmp_path / source
    path.write_text(_sources(HOSTILE[case])[source], encoding="utf-8", newline="")

    result = kpotui(empty_db, "import", str(path))

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert_nothing_raw(result.stderr, case)
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}{WHERE.get(source, ': providers[0].name: ')}"), first
    assert "NUL" in first or "one-line fields take printable text only" in first, first
    assert (
        kpotui(empty_db, "list", "providers", "--format", "csv").stdout
        == "name," + ",".join(f.name for f in KINDS["provider"].fields[1:]) + "\n"
    )


def test_import_says_which_character_and_where(empty_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "providers.csv"
    path.write_text("name\nEvil\x1b[2J\x1b]0;pwned\x07Corp\n", encoding="utf-8")
    result = kpotui(empty_db, "import", str(path))
    assert result.stderr.splitlines()[0] == (
        f"{path}:2: name: contains a control character (\\x1b at position 5); "
        "one-line fields take printable text only"
    )


def test_import_keeps_emoji_joiners_and_normalises_line_ends(
    empty_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "providers.csv"
    body = 'name,notes\n"Team 👩\u200d💻 Lab","one\r\ntwo\rthree\tfour"\n'
    path.write_bytes(body.encode())
    assert kpotui(empty_db, "import", str(path)).exit_code == 0
    listed = json.loads(kpotui(empty_db, "list", "providers", "--format", "json").stdout)
    assert listed["providers"] == [
        {"name": "Team 👩\u200d💻 Lab", "notes": "one\ntwo\nthree\tfour"}
    ]


def test_a_hostile_file_name_is_shown_escaped(empty_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "evil\x1b]0;pwned\x07.csv"
    path.write_text("name\nA\x9bB\n", encoding="utf-8")
    result = kpotui(empty_db, "import", "--kind", "providers", str(path))
    assert result.exit_code == 1
    assert_nothing_raw(result.stderr, "problems")
    assert "evil\\x1b]0;pwned\\x07.csv:2: name: contains a control character (\\x9b" in (
        result.stderr
    )


def test_an_error_message_quoting_a_value_is_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    UserError("no provider named Evil\x1b]52;c;cm0K\x07 here\nnext").show()
    err = capsys.readouterr().err
    assert err == "kpotui: no provider named Evil\\x1b]52;c;cm0K\\x07 here\\nnext\n"


# Data already in the database


ONE_LINE_COLUMNS = {
    "provider": ["name", "country", "contact_name"],
    "contract": ["title", "owner"],
    "deliverable": ["title", "reviewer"],
    "task": ["name", "owner", "area"],
    "note": ["title", "author"],
    "decision": ["summary", "decided_by"],
    "rate": ["currency"],
}
MULTI_LINE_COLUMNS = {
    "provider": ["notes"],
    "contract": ["description"],
    "deliverable": ["description"],
    "task": ["notes"],
    "note": ["body"],
    "decision": ["rationale"],
    "rate": [],
}


@pytest.fixture(scope="module")
def hostile_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample firm with a hostile string in every one-line text column of every
    record, and hostile text in every long text, written by SQL as older data would be."""
    path = tmp_path_factory.mktemp("hostile") / "firm.db"
    assert kpotui(path, "import", str(SAMPLE)).exit_code == 0
    corpus = list(HOSTILE.values())
    store = open_store(str(path))
    try:
        with store.write() as conn:
            conn.execute(  # the sample firm has no rates
                text(
                    "INSERT INTO rate (created_at, updated_at, version, currency, date, rate) "
                    "VALUES ('2025-01-01 00:00:00', '2025-01-01 00:00:00', 1, 'USD', "
                    "'2025-01-01', '0.9')"
                )
            )
            for table, columns in ONE_LINE_COLUMNS.items():
                ids = [row[0] for row in conn.execute(text(f"SELECT id FROM {table}"))]
                for n, record_id in enumerate(ids):
                    for column in columns:
                        conn.execute(
                            text(
                                f"UPDATE {table} SET {column} = :prefix || COALESCE({column}, '')"
                                " WHERE id = :id"
                            ),
                            {"prefix": f"{corpus[n % len(corpus)]} {n} ", "id": record_id},
                        )
                for column in MULTI_LINE_COLUMNS[table]:
                    conn.execute(text(f"UPDATE {table} SET {column} = :v"), {"v": MULTI_LINE})
    finally:
        store.close()
    return path


@pytest.fixture
def hostile_db(hostile_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "firm.db"
    path.write_bytes(hostile_template.read_bytes())
    path.chmod(0o600)
    return path


def stored(db: Path, kind: str, column: str) -> list[str]:
    store = open_store(str(db))
    try:
        with store.read() as conn:
            query = text(f"SELECT {column} FROM {kind} WHERE {column} IS NOT NULL")
            return sorted(row[0] for row in conn.execute(query))
    finally:
        store.close()


@pytest.mark.parametrize("kind", [spec.plural for spec in KINDS.values()])
def test_list_table_shows_every_control_character_escaped(hostile_db: Path, kind: str) -> None:
    result = kpotui(hostile_db, "list", kind)
    assert result.exit_code == 0, result.output
    assert_nothing_raw(result.stdout, f"list {kind}")
    count = len(json.loads(kpotui(hostile_db, "list", kind, "--format", "json").stdout)[kind])
    assert len(result.stdout.splitlines()) == count + 2  # a header, a rule, a line a record
    # (the one rate holds only the first hostile string, checked above like the rest)
    assert "\\x1b]0;pwned\\x07" in result.stdout or kind in ("notes", "rates")


@pytest.mark.parametrize("kind", [spec.plural for spec in KINDS.values()])
def test_list_json_escapes_and_gives_back_what_is_stored(hostile_db: Path, kind: str) -> None:
    result = kpotui(hostile_db, "list", kind, "--format", "json")
    assert result.exit_code == 0, result.output
    assert_nothing_raw(result.stdout, f"list {kind} --format json")
    spec = KINDS[kind[:-1]]
    records = json.loads(result.stdout)[kind]
    for column in ONE_LINE_COLUMNS[spec.name] + MULTI_LINE_COLUMNS[spec.name]:
        expected = stored(hostile_db, spec.name, column)
        assert sorted(r[column] for r in records if column in r) == expected, column


@pytest.mark.parametrize("kind", [spec.plural for spec in KINDS.values()])
def test_list_csv_into_a_pipe_is_exactly_what_is_stored(hostile_db: Path, kind: str) -> None:
    result = CliRunner().invoke(main, ["--db", str(hostile_db), "list", kind, "--format", "csv"])
    assert result.exit_code == 0, result.output
    spec = KINDS[kind[:-1]]
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode(), newline="")))
    for column in ONE_LINE_COLUMNS[spec.name] + MULTI_LINE_COLUMNS[spec.name]:
        assert sorted(_uncsv(r[column]) for r in rows if r[column]) == stored(
            hostile_db, spec.name, column
        ), column


def _uncsv(cell: str) -> str:
    """A cell as import reads it (export guards formula-looking cells with a ')."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in "=+-@\t\r'" else cell


def test_csv_export_round_trips_exactly(hostile_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = kpotui(hostile_db, "export", "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.output
    for spec in KINDS.values():
        with (out / f"{spec.plural}.csv").open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        for column in ONE_LINE_COLUMNS[spec.name] + MULTI_LINE_COLUMNS[spec.name]:
            cells = sorted(_uncsv(r[column]) for r in rows if r[column])
            assert cells == stored(hostile_db, spec.name, column), (spec.name, column)


@pytest.mark.parametrize("encoding", ["toml", "json"])
def test_document_export_escapes_and_gives_back_what_is_stored(
    hostile_db: Path, encoding: str
) -> None:
    result = kpotui(hostile_db, "export", "--format", encoding)
    assert result.exit_code == 0, result.output
    assert_nothing_raw(result.stdout, f"export {encoding}", one_line=False)
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200b]", result.stdout)
    data = tomllib.loads(result.stdout) if encoding == "toml" else json.loads(result.stdout)
    for spec in KINDS.values():
        for column in ONE_LINE_COLUMNS[spec.name] + MULTI_LINE_COLUMNS[spec.name]:
            values = sorted(r[column] for r in data.get(spec.plural, []) if column in r)
            assert values == stored(hostile_db, spec.name, column), (spec.name, column)


REPORTS = ("summary", "overdue", "risk", "costs", "providers", "decisions", "sla")


@pytest.mark.parametrize("shape", ["text", "md", "json"])
@pytest.mark.parametrize("name", REPORTS)
def test_every_report_shows_every_control_character_escaped(
    hostile_db: Path, name: str, shape: str
) -> None:
    result = kpotui(hostile_db, "report", name, "--format", shape, "--today", AS_OF)
    assert result.exit_code == 0, result.output
    assert_nothing_raw(result.stdout, f"report {name} --format {shape}")
    if shape == "md":
        rows = [line for line in result.stdout.splitlines() if line and line[0] not in "#("]
        assert all(line.startswith("|") and line.endswith("|") for line in rows), rows
    if shape == "json":
        json.loads(result.stdout)


def test_the_providers_report_in_json_names_them_exactly(hostile_db: Path) -> None:
    result = kpotui(hostile_db, "report", "providers", "--format", "json", "--today", AS_OF)
    names = sorted(p["provider"] for p in json.loads(result.stdout)["providers"])
    assert names == stored(hostile_db, "provider", "name")


# On a terminal


def on_a_terminal(*args: str) -> str:
    """Run ``kpotui ARGS`` with its output on a pseudo-terminal; what it wrote."""
    leader, follower = pty.openpty()
    env = os.environ | {"COLUMNS": "400", "LINES": "50", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [sys.executable, "-c", "from kpotui.cli import main; main()", *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode("utf-8")


STYLE = re.compile(r"\x1b\[[0-9;]*m")
"""The colour and weight sequences Rich writes itself."""


def assert_only_styles(output: str, what: str) -> None:
    """Nothing but Rich's own styles: every other control shown as an escape."""
    plain = STYLE.sub("", output).replace("\r\n", "\n")
    assert_nothing_raw(plain, what)


@pytest.mark.parametrize(
    "args",
    [
        ("list", "providers"),
        ("list", "decisions"),
        ("list", "providers", "--format", "csv"),
        ("report", "providers", "--today", AS_OF),
        ("report", "risk", "--today", AS_OF),
    ],
    ids=" ".join,
)
def test_on_a_terminal_only_styles_are_written(hostile_db: Path, args: tuple[str, ...]) -> None:
    output = on_a_terminal("--db", str(hostile_db), *args)
    assert "pwned" in output, output[:400]
    assert_only_styles(output, " ".join(args))
