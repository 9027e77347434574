"""The large firm's cache: built once, rebuilt when what it is made from changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui import firm_cache
from tests.tui.firm_cache import cached_database


@pytest.fixture
def migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for the package's migrations directory."""
    directory = tmp_path / "migrations"
    (directory / "versions").mkdir(parents=True)
    (directory / "versions" / "0001_first.py").write_text("revision = '0001'\n")
    monkeypatch.setattr(firm_cache, "MIGRATIONS_DIR", directory)
    return directory


def test_built_once_then_rebuilt_when_a_source_or_migration_changes(
    tmp_path: Path, migrations: Path
) -> None:
    generator = tmp_path / "generator.py"
    generator.write_text("ROWS = 1\n")
    builds: list[Path] = []

    def build(path: Path) -> None:
        builds.append(path)
        path.write_text(f"database {len(builds)}")

    def cached() -> Path:
        return cached_database(tmp_path / "cache", "firm", [generator], build)

    first = cached()
    assert cached() == first and len(builds) == 1
    assert first.read_text() == "database 1"
    assert not first.stat().st_mode & 0o222  # nobody writes to the shared copy
    assert builds[0].parent != first.parent  # built aside, then renamed into place

    generator.write_text("ROWS = 2\n")
    second = cached()
    assert second != first and len(builds) == 2
    (migrations / "versions" / "0002_next.py").write_text("revision = '0002'\n")
    third = cached()
    assert third not in (first, second) and len(builds) == 3
    assert sorted((tmp_path / "cache").glob("firm-*.db")) == [third]  # older ones removed


def test_a_failed_build_leaves_nothing_behind(tmp_path: Path, migrations: Path) -> None:
    def build(path: Path) -> None:
        path.write_text("half a database")
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        cached_database(tmp_path / "cache", "firm", [], build)
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["firm.lock"]
