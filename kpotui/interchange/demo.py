"""The demo database: the sample firm, with every date moved so the demo is always current.

``demo_data/firm.toml`` (a copy of ``sample_data/firm.toml`` that ships in the wheel) is
written as of its ``reference_date``. Building the demo shifts every date field of every
record by ``today - reference_date`` days, so an item three days overdue in the file is
three days overdue in the demo, whenever it runs. Dates inside free text are not moved.

A refresh builds a new database next to the old one and renames it into place, so the
demo is never half built. Only a database that this module built (marked in the SQLite
header's ``application_id``) is ever replaced: ``--db`` pointing at real data is refused.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import date, timedelta
from pathlib import Path

from kpotui.interchange import document
from kpotui.interchange.importer import ImportSummary, import_sources
from kpotui.interchange.problems import InputError, Problems
from kpotui.services.fields import BY_PLURAL, FieldType
from kpotui.store import StoreError, open_store

SAMPLE = Path(__file__).with_name("demo_data") / "firm.toml"
DEMO_APPLICATION_ID = 0x6B706F64
"""``kpod``: marks a SQLite file as a kpotui demo database (safe to replace)."""


def load_sample(today: date) -> document.Document:
    """The sample firm with its dates moved from its reference date to ``today``."""
    problems = Problems()
    sample = document.parse(SAMPLE.read_bytes(), "toml", str(SAMPLE), problems)
    if sample is None or problems or sample.reference_date is None:
        raise InputError(problems)  # a packaging mistake: the shipped file is checked by tests
    shift_dates(sample, timedelta(days=(today - sample.reference_date).days))
    sample.reference_date = today
    return sample


def shift_dates(sample: document.Document, delta: timedelta) -> None:
    """Move every date field of every record by ``delta`` (in place)."""
    for plural, items in sample.arrays.items():
        dates = [f.name for f in BY_PLURAL[plural].fields if f.type is FieldType.DATE]
        for item in items:
            for name in dates:
                value = item.get(name)
                if isinstance(value, str):
                    value = date.fromisoformat(value)
                if isinstance(value, date):
                    item[name] = value + delta


def _is_demo(path: Path) -> bool:
    with path.open("rb") as handle:
        header = handle.read(72)
    return len(header) == 72 and int.from_bytes(header[68:72], "big") == DEMO_APPLICATION_ID


def _release(path: Path) -> None:
    """Make sure nobody has ``path`` open (leaving WAL mode needs sole access)."""
    conn = sqlite3.connect(path, timeout=1.0)
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.Error:
        mode = "busy"
    finally:
        conn.close()
    if mode != "delete":
        raise StoreError(f"{path}: the demo database is in use; close kpotui and try again")


def build_demo(target: Path, today: date) -> ImportSummary:
    """Build (or rebuild from scratch) the demo database at ``target``."""
    target = target.expanduser().resolve()
    if target.exists() and not _is_demo(target):
        raise StoreError(f"{target}: not a demo database; 'kpotui demo' only replaces its own")
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    building = target.with_name(f".{target.name}.{os.getpid()}.building")
    for leftover in (building, *(Path(f"{building}{s}") for s in ("-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    try:
        store = open_store(str(building))
        try:
            summary = import_sources(store, [load_sample(today)])
        finally:
            store.close()
        marker = sqlite3.connect(building)
        try:
            marker.execute(f"PRAGMA application_id = {DEMO_APPLICATION_ID}")
            marker.execute("PRAGMA journal_mode = DELETE")
        finally:
            marker.close()
        if target.exists():
            _release(target)
        os.replace(building, target)
    except BaseException:
        building.unlink(missing_ok=True)
        raise
    return summary
