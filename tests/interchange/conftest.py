"""Helpers for the interchange tests: run the CLI on a database, export it, load the sample."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kpotui.cli import main
from kpotui.store import open_store
from tests.conftest import _postgres_copy, _postgres_drop

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "sample_data"
SAMPLE_TOML = SAMPLE_DIR / "firm.toml"
FILES = Path(__file__).with_name("files")
SHORT_FIRM: dict[str, Any] = {
    "format": "kpotui/1",
    "providers": [{"name": "P"}],
    "contracts": [
        {
            "code": "HX-002",
            "title": "T",
            "provider": "P",
            "service_line": "legal",
            "start_date": "2025-01-01",
        }
    ],
    "deliverables": [{"contract": "HX-002", "title": "Claim map", "due_date": "2025-02-01"}],
    "tasks": [{"name": "A", "classification": "core", "sourcing": "outsourced"}],
    "notes": [{"title": "N", "body": "B"}],
    "decisions": [
        {"contract": "HX-002", "date": "2025-01-02", "summary": "S", "made_by": "provider"}
    ],
}
"""One record of every kind, each short enough for a TOML writer to put on one line."""


def kpotui(
    db: str, *args: str, stdin: bytes | str | None = None, env: Mapping[str, str] | None = None
) -> Result:
    """Run ``kpotui --db DB ARGS...`` in-process."""
    return CliRunner().invoke(main, ["--db", db, *args], input=stdin, env=dict(env or {}))


def export(db: str, encoding: str = "toml") -> bytes:
    """The database exported as TOML or JSON (for before/after comparisons)."""
    result = kpotui(db, "export", "--format", encoding)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.fixture(scope="session")
def sample_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample firm imported once into a SQLite file, to copy for each test."""
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    result = kpotui(str(path), "import", str(SAMPLE_TOML))
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def sample_db(db_url: str, sample_sqlite: Path) -> str:
    """A database (SQLite file or PostgreSQL URL) holding the sample firm."""
    if "://" not in db_url:
        shutil.copyfile(sample_sqlite, db_url)
        return db_url
    result = kpotui(db_url, "import", str(SAMPLE_TOML))
    assert result.exit_code == 0, result.output
    return db_url


@pytest.fixture
def empty_db(db_url: str, postgres_template: str | None, tmp_path: Path) -> Iterator[str]:
    """A second empty database on the same backend as ``db_url`` (to import exports into)."""
    if "://" not in db_url:
        path = tmp_path / "empty.db"
        open_store(str(path)).close()
        yield str(path)
        return
    assert postgres_template is not None
    url, name = _postgres_copy(postgres_template)
    try:
        yield url
    finally:
        _postgres_drop(postgres_template, name)
