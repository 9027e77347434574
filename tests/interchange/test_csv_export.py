"""The CSV export converts stored values a column at a time: it must write exactly what the
record encoder (``write_csv`` of records, as ``kpotui list --format csv``) writes."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from kpotui.interchange import csv_codec
from kpotui.services import records
from kpotui.services.fields import KINDS, kind_spec
from kpotui.store import open_store
from tests.interchange.conftest import kpotui
from tests.interchange.test_round_trip import _awkward_document


def _both_ways(db: str, batch_size: int) -> list[tuple[str, str, str]]:
    """(kind, streamed CSV, record-encoded CSV) for every kind of ``db``."""
    store = open_store(db)
    try:
        with store.read() as conn:
            found = []
            for spec in KINDS.values():
                streamed, encoded = io.StringIO(), io.StringIO()
                batches = records.stored_batches(conn, spec, batch_size=batch_size)
                csv_codec.write_stored_csv(streamed, spec, batches)
                csv_codec.write_csv(encoded, spec, records.all_records(conn, spec))
                found.append((spec.plural, streamed.getvalue(), encoded.getvalue()))
            return found
    finally:
        store.close()


@pytest.mark.parametrize("batch_size", [1, 3, 2000])
def test_streamed_export_writes_what_the_record_encoder_writes(
    db_url: str, batch_size: int
) -> None:
    document = json.dumps(_awkward_document(), ensure_ascii=False).encode()
    assert kpotui(db_url, "import", "--format", "json", "-", stdin=document).exit_code == 0
    sample = Path(__file__).resolve().parents[2] / "sample_data" / "firm.toml"
    assert kpotui(db_url, "import", str(sample)).exit_code == 0
    for kind, streamed, encoded in _both_ways(db_url, batch_size):
        assert streamed.count("\n") > 1, kind  # header and records
        assert streamed == encoded, kind


def test_streamed_rows_are_in_natural_key_order(db_url: str) -> None:
    sample = Path(__file__).resolve().parents[2] / "sample_data" / "firm.toml"
    assert kpotui(db_url, "import", str(sample)).exit_code == 0
    for kind, streamed, _ in _both_ways(db_url, 7):
        spec = kind_spec(kind)
        rows = list(csv.DictReader(io.StringIO(streamed)))
        keys = [tuple(row[name] for name in spec.key) for row in rows]
        assert keys == sorted(keys), kind


CLEAN_AND_STORED: list[tuple[str, Any, list[Any]]] = [
    ("value", None, [None]),
    ("value", Decimal("0.00"), [0]),
    ("value", Decimal("0.05"), [5]),
    ("value", Decimal("1.00"), [100]),
    ("value", Decimal("-0.05"), [-5]),
    ("value", Decimal("-12.30"), [-1230]),
    ("value", Decimal("10000000000000.00"), [10**15]),
    ("notice_days", 0, [0]),
    ("notice_days", 30, [30]),
    ("notice_days", -30, [-30]),
    ("auto_renew", True, [1, True]),
    ("auto_renew", False, [0, False]),
    ("start_date", date(2025, 1, 31), ["2025-01-31", date(2025, 1, 31)]),
    ("compliance", [], ["[]", []]),
    ("compliance", ["=SUM(A1)", "b,c"], ['["=SUM(A1)", "b,c"]', ["=SUM(A1)", "b,c"]]),
    ("owner", "@owner", ["@owner"]),
    ("owner", "'=x", ["'=x"]),
    ("owner", "'plain", ["'plain"]),
    ("owner", 'say "hi", then\r\nleave', ['say "hi", then\r\nleave']),
    ("owner", "lone\rCR", ["lone\rCR"]),
    ("owner", "", [""]),
]


@pytest.mark.parametrize(("name", "clean", "stored_forms"), CLEAN_AND_STORED)
def test_each_stored_form_becomes_the_cell_of_its_clean_value(
    name: str, clean: Any, stored_forms: list[Any]
) -> None:
    """SQLite and PostgreSQL's drivers give different forms; every one encodes the same."""
    spec = kind_spec("contract")
    blank = {f.name: None for f in spec.fields}
    expected = io.StringIO()
    csv_codec.write_csv(expected, spec, [blank | {name: clean}])
    for stored in stored_forms:
        row = tuple(stored if f.name == name else None for f in spec.fields)
        written = io.StringIO()
        csv_codec.write_stored_csv(written, spec, [[row]])
        assert written.getvalue() == expected.getvalue(), stored


def test_hours_stored_as_float_or_integer_are_written_as_floats() -> None:
    spec = kind_spec("task")
    cells = [(12.0, "12.0"), (12, "12.0"), (0.1, "0.1"), (1e-7, "1e-07"), (-1.5, "'-1.5")]
    for stored, cell in cells:
        row = tuple(stored if f.name == "hours_per_month" else None for f in spec.fields)
        written = io.StringIO()
        csv_codec.write_stored_csv(written, spec, [[row]])
        assert written.getvalue().splitlines()[1].split(",")[6] == cell


def test_a_stored_lone_carriage_return_is_exported_exactly(db_url: str, tmp_path: Path) -> None:
    """Import turns a lone CR into LF; one stored already (older data) is exported as it
    is. csv.writer leaves such a cell bare, and every reader ends the row there."""
    source = tmp_path / "providers.csv"
    source.write_bytes(b'name,notes\nP1,"line one\rline two"\nP2,plain\n')
    assert kpotui(db_url, "import", str(source)).exit_code == 0
    store = open_store(db_url)
    try:
        imported = records.find(store, "provider", {"name": "P1"})
        assert imported is not None and imported["notes"] == "line one\nline two"
        with store.write() as conn:
            conn.execute(
                text("UPDATE provider SET notes = :notes"), {"notes": "line one\rline two"}
            )
    finally:
        store.close()
    out = tmp_path / "out"
    assert kpotui(db_url, "export", "--format", "csv", "-o", str(out)).exit_code == 0
    exported = (out / "providers.csv").read_bytes()
    assert b',"line one\rline two"\n' in exported
    with (out / "providers.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["name"], row["notes"]) for row in rows] == [
        ("P1", "line one\rline two"),
        ("P2", "line one\rline two"),
    ]
