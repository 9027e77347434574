"""Generated firms survive export -> import -> export byte for byte in TOML, JSON and CSV,
and the three encodings import as the same records.

The values are the ones people type and validation accepts: every kind and enum value,
short and long text, unicode and emoji, quotes and backslashes, text that a spreadsheet
would run as a formula, line breaks, tabs and carriage returns (alone or in CRLF) in
multi-line text, the largest amount, any date. One-line text holds only what validation
lets it (:mod:`kpotui.text`: no control, bidirectional override or invisible character).
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpotui.interchange.exporter import export_csv, export_document
from kpotui.interchange.importer import import_sources
from kpotui.interchange.inputs import close_all, open_sources
from kpotui.interchange.problems import InputError, Problems
from kpotui.services.fields import BY_PLURAL, KINDS, MAX_MONEY_MINOR, FieldSpec, FieldType, KindSpec
from kpotui.services.marking import DATES_KEPT
from kpotui.store import open_store
from kpotui.text import first_unsafe
from tests.interchange.conftest import SHORT_FIRM

Firm = dict[str, list[dict[str, Any]]]
ENCODINGS = ("toml", "json", "csv")

GENERATED = settings(
    max_examples=30,
    deadline=None,  # an example imports into four databases: its time varies with load
    # The same examples on every run (drawn from a hash of the test): CI cannot flake on
    # a new random firm, and a failure reproduces as it is. To explore further, run it
    # once with derandomize=False and a larger max_examples; keep what it finds as a
    # plain test.
    derandomize=True,
    database=None,
    # The autouse isolated_env fixture is set once for all examples, which is what it is
    # for here; each example opens its own databases in a directory of its own.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# -- values ---------------------------------------------------------------------------------

AWKWARD = [
    '"',
    '"""',
    "'",
    "\\",
    "\\n",
    "\\u0041",
    ",",
    ";",
    " ",
    "#",
    "[[providers]]",
    "deliverables = [",
    "{ a = 1 }",
    "Привет",
    "你好",
    "مرحبا",
    "🤝🏽",
    "👩‍💻",
    "🇮🇳",
    "\u2028",
    "\ufeff",
]
FORMULA_STARTS = ["=", "+", "-", "@", "'", "'=", "''", "'-"]
ONE_LINE_AWKWARD = [piece for piece in AWKWARD if first_unsafe(piece) is None]


def _one_line(character: str) -> bool:
    return first_unsafe(character) is None


ONE_LINE_CHARACTERS = st.characters(blacklist_categories=("Cc", "Cs")).filter(_one_line)
"""Any character one-line text may hold (no controls, overrides, invisible characters)."""
MULTI_LINE_CHARACTERS = st.one_of(
    st.characters(blacklist_categories=("Cc", "Cs")), st.sampled_from("\n\t\r")
)
"""Carriage returns too, alone or in CRLF: import turns them into line feeds."""
VISIBLE = st.characters(
    blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp"), blacklist_characters=";"
).filter(_one_line)
"""A character that validation's strip keeps (and not the list separator)."""


def _text(
    characters: st.SearchStrategy[str], awkward: list[str], starts: list[str], *, blank: bool
) -> st.SearchStrategy[str]:
    """Text built of random runs and awkward pieces, perhaps starting like a formula; short,
    or repeated to a long text (over any line length a writer might choose). Unless
    ``blank``, something is left once validation strips the blanks."""
    pieces = st.one_of(st.text(characters, max_size=6), st.sampled_from(awkward))
    short = st.tuples(
        st.sampled_from(["", *starts]),
        st.just("") if blank else VISIBLE,
        st.lists(pieces, max_size=5).map("".join),
    ).map("".join)
    long = st.tuples(short, st.integers(100, 500)).map(
        lambda text_length: (text_length[0] * text_length[1])[: text_length[1]]
    )
    return st.one_of(short, short, long)


ONE_LINE = _text(ONE_LINE_CHARACTERS, ONE_LINE_AWKWARD, FORMULA_STARTS, blank=True)
MULTI_LINE_STARTS = [*FORMULA_STARTS, "\t", "\r", "\n", "\r\n"]
MULTI_LINE = _text(MULTI_LINE_CHARACTERS, AWKWARD, MULTI_LINE_STARTS, blank=True)
REQUIRED = {
    FieldType.TEXT: _text(ONE_LINE_CHARACTERS, ONE_LINE_AWKWARD, FORMULA_STARTS, blank=False),
    FieldType.LONG_TEXT: _text(MULTI_LINE_CHARACTERS, AWKWARD, MULTI_LINE_STARTS, blank=False),
}
LIST_ITEM = REQUIRED[FieldType.TEXT].map(lambda text: text.replace(";", ""))
NO_AT_OR_BLANK = st.text(
    st.characters(
        blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp"), blacklist_characters="@"
    ).filter(_one_line),
    min_size=1,
    max_size=12,
)
EMAIL = st.tuples(NO_AT_OR_BLANK, NO_AT_OR_BLANK).map("@".join)
LARGEST_MONEY_MINOR = MAX_MONEY_MINOR - 1
"""Amounts must be below MAX_MONEY_MINOR."""
MONEY = st.one_of(st.just(LARGEST_MONEY_MINOR), st.integers(0, LARGEST_MONEY_MINOR)).map(
    lambda minor: f"{minor // 100}.{minor % 100:02d}"
)


RATE = st.one_of(st.just(10**21 - 1), st.integers(1, 10**21 - 1)).map(
    lambda units: f"{Decimal(units).scaleb(-12):f}"
)
"""Positive, below 10**9, at most 12 decimals (trailing zeros too, as people type them)."""
REPORTING_CURRENCY = "EUR"
"""A rate of it is refused."""


def _ordered_dates() -> st.SearchStrategy[list[date]]:
    return st.lists(st.dates(), min_size=2, max_size=2).map(sorted)


def _value(spec: FieldSpec) -> st.SearchStrategy[Any]:
    """Any value validation accepts for a field that is not a reference (not blank if the
    field is required)."""
    match spec.type:
        case FieldType.TEXT | FieldType.LONG_TEXT if spec.required:
            return REQUIRED[spec.type]
        case FieldType.TEXT:
            return ONE_LINE
        case FieldType.LONG_TEXT:
            return MULTI_LINE
        case FieldType.ENUM:
            return st.sampled_from(spec.allowed)
        case FieldType.LIST if spec.choices is not None:
            return st.lists(st.sampled_from(spec.allowed), max_size=len(spec.allowed))
        case FieldType.LIST:
            return st.lists(LIST_ITEM, max_size=4)
        case FieldType.DATE:
            return st.dates().map(date.isoformat)
        case FieldType.MONEY:
            return MONEY
        case FieldType.INT:
            assert spec.minimum is not None and spec.maximum is not None
            return st.integers(spec.minimum, spec.maximum)
        case FieldType.FLOAT:  # an unbounded one (a contract's sla_max_rework) up to 1e6
            high = 1e6 if spec.maximum is None else spec.maximum
            return st.floats(spec.minimum, high, allow_nan=False, allow_infinity=False)
        case FieldType.BOOL:
            return st.booleans()
        case FieldType.EMAIL:
            return EMAIL
        case FieldType.CURRENCY:
            return st.from_regex(r"[A-Z]{3}", fullmatch=True).filter(
                lambda code: code != REPORTING_CURRENCY
            )
        case FieldType.RATE:
            return RATE
    raise AssertionError(f"no values for {spec.type}")


DATE_RULES = {
    "contract": ("start_date", "end_date"),
    "deliverable": ("submitted_date", "accepted_date"),
}
"""The dates of a rule ``second >= first``, per kind."""


@st.composite
def _record(draw: st.DrawFn, kind: KindSpec, refs: dict[str, list[str]]) -> dict[str, Any]:
    """A record of ``kind``: required fields and some others, references drawn from
    ``refs`` (kind -> keys), the dates of a rule in order."""
    record: dict[str, Any] = {}
    if kind.name in DATE_RULES:
        for name, day in zip(DATE_RULES[kind.name], draw(_ordered_dates()), strict=True):
            if kind.field(name).required or draw(st.booleans()):
                record[name] = day.isoformat()
    for spec in kind.fields:
        if spec.name in record or not (spec.required or draw(st.booleans())):
            continue
        if kind.name in DATE_RULES and spec.name in DATE_RULES[kind.name]:
            continue
        if spec.ref is not None:
            record[spec.name] = draw(st.sampled_from(refs[spec.ref]))
        else:
            record[spec.name] = draw(_value(spec))
    if kind.name == "deliverable":  # only the dates its status keeps
        kept = DATES_KEPT[record.get("status", kind.field("status").default)]
        for name in DATE_RULES["deliverable"]:
            if name not in kept:
                record.pop(name, None)
    return record


@st.composite
def firms(draw: st.DrawFn) -> Firm:
    """A valid firm holding one to three records of every kind, with distinct keys (as
    validation strips them)."""
    refs: dict[str, list[str]] = {}
    firm: Firm = {}
    for kind in KINDS.values():

        def key(record: dict[str, Any], kind: KindSpec = kind) -> tuple[str, ...]:
            return tuple(str(record[name]).strip() for name in kind.key)

        records = draw(st.lists(_record(kind, refs), min_size=1, max_size=3, unique_by=key))
        firm[kind.plural] = records
        refs[kind.name] = [key(record)[0] for record in records]
    return firm


# -- the round trip -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def empty_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, migrated database, copied for each import (migrating takes ~0.5 s)."""
    path = tmp_path_factory.mktemp("empty") / "empty.db"
    open_store(str(path)).close()
    return path


def _import(template: Path, database: Path, files: list[Path]) -> None:
    shutil.copyfile(template, database)
    problems = Problems()
    store = open_store(str(database))
    sources = open_sources(
        [str(file) for file in files], kind=None, encoding=None, stdin=BytesIO(), problems=problems
    )
    try:
        import_sources(store, sources, problems=problems)
    except InputError as exc:
        raise AssertionError("\n".join(exc.problems.lines())) from None
    finally:
        close_all(sources)
        store.close()


def _export(database: Path, encoding: str, directory: Path) -> dict[str, bytes]:
    """File name -> bytes of an export (one file for TOML and JSON, six for CSV)."""
    store = open_store(str(database))
    try:
        if encoding == "csv":
            return {path.name: path.read_bytes() for path in export_csv(store, directory).values()}
        out = StringIO()
        export_document(store, encoding, out)
        return {f"firm.{encoding}": out.getvalue().encode()}
    finally:
        store.close()


def _written(exported: dict[str, bytes], directory: Path) -> list[Path]:
    directory.mkdir()
    for name, content in exported.items():
        (directory / name).write_bytes(content)
    return [directory / name for name in exported]


def assert_round_trips(firm: Firm, template: Path) -> None:
    """Import ``firm``, export it in each encoding, import that into an empty database and
    export again: the same bytes, and the same records (compared as JSON)."""
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        source = work / "generated.json"
        source.write_text(json.dumps({"format": "kpotui/1", **firm}), encoding="utf-8")
        _import(template, work / "origin.db", [source])
        first = {e: _export(work / "origin.db", e, work / f"first-{e}") for e in ENCODINGS}
        for encoding in ENCODINGS:
            files = _written(first[encoding], work / f"import-{encoding}")
            _import(template, work / f"{encoding}.db", files)
            again = _export(work / f"{encoding}.db", encoding, work / f"second-{encoding}")
            assert again == first[encoding], encoding
            if encoding != "json":
                same = _export(work / f"{encoding}.db", "json", work / f"json-{encoding}")
                assert same == first["json"], f"{encoding} imports other records than JSON"


@GENERATED
@given(firm=firms())
def test_generated_firms_round_trip_in_every_encoding(firm: Firm, empty_sqlite: Path) -> None:
    assert_round_trips(firm, empty_sqlite)


# -- plain cases ----------------------------------------------------------------------------


def _every_enum_value_firm() -> Firm:
    """The short firm, plus records that between them give every field with choices every
    value (the last key field tells them apart, so references to the first still hold)."""
    firm: Firm = {k: v for k, v in copy.deepcopy(SHORT_FIRM).items() if k != "format"}
    for plural, records in firm.items():
        spec = BY_PLURAL[plural]
        first, key = records[0], spec.key[-1]
        chosen = [f for f in spec.fields if f.choices is not None]
        for index in range(max(len(f.allowed) for f in chosen)):
            record = {**first, key: f"{first[key]} {index}"}
            for f in chosen:
                value = f.allowed[index % len(f.allowed)]
                record[f.name] = [value] if f.type is FieldType.LIST else value
            records.append(record)
    return firm


def test_every_enum_value_and_the_largest_amount_round_trip(empty_sqlite: Path) -> None:
    firm = _every_enum_value_firm()
    firm["contracts"][0]["value"] = f"{LARGEST_MONEY_MINOR // 100}.{LARGEST_MONEY_MINOR % 100:02d}"
    for spec in KINDS.values():
        for f in spec.fields:
            if f.choices is not None:
                given = [r[f.name] for r in firm[spec.plural] if f.name in r]
                flat = {
                    v for value in given for v in (value if isinstance(value, list) else [value])
                }
                assert flat == set(f.allowed), (spec.plural, f.name)
    assert_round_trips(firm, empty_sqlite)
