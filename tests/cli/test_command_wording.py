"""Help texts that read well, and the small CLI mistakes that used to answer badly."""

from __future__ import annotations

import builtins
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from kpotui.cli import main


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.output


def commands(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command's words after ``kpotui``, groups included (``()`` is the top)."""
    yield path
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from commands(sub, (*path, name))


def test_every_help_is_plain_text_and_never_cut_in_an_example() -> None:
    walked = list(commands(main))
    assert ("config", "set") in walked and len(walked) > 15
    for path in walked:
        code, out = run(*path, "--help")
        assert code == 0, path
        assert "``" not in out, path
        assert not [line for line in out.splitlines() if line.rstrip().endswith("(e.g.")], path


def test_an_unknown_kind_suggests_the_closest(tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_text("code\nX\n")
    code, out = run("--db", str(tmp_path / "x.db"), "import", "--kind", "contrats", "-")
    assert code == 1
    assert out.endswith("rates, did you mean contracts?)\n")
    code, out = run("--db", str(tmp_path / "x.db"), "import", "--kind", "widgets", "f.csv")
    assert code == 1 and "unknown kind 'widgets'" in out
    assert "use --kind" not in out and "did you mean" not in out
    assert not (tmp_path / "x.db").exists()


def test_an_unknown_kind_given_to_the_importer_is_not_blamed_on_the_file_name() -> None:
    from io import BytesIO

    from kpotui.interchange.inputs import open_sources
    from kpotui.interchange.problems import Problems

    problems = Problems()
    open_sources(["-"], kind="widgets", encoding="csv", stdin=BytesIO(b""), problems=problems)
    (line,) = problems.lines()
    assert "--kind: unknown kind 'widgets'" in line and "use --kind" not in line


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "x.db")
    assert run("--db", path, "init")[0] == 0
    return path


@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_a_document_exported_to_a_directory_goes_inside_it(
    db: str, tmp_path: Path, fmt: str
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out = run("--db", db, "export", "--format", fmt, "-o", str(out_dir), "-q")
    assert (code, out) == (0, "")
    written = out_dir / f"kpotui-export.{fmt}"
    assert written.read_text().startswith("{" if fmt == "json" else "format")
    assert [p.name for p in out_dir.iterdir()] == [written.name]


@pytest.mark.parametrize("slash", [True, False])
def test_a_backup_into_a_directory_is_a_dated_file_inside_it(
    db: str, tmp_path: Path, slash: bool
) -> None:
    (tmp_path / "bk").mkdir()
    code, out = run("--db", db, "backup", str(tmp_path / "bk") + ("/" if slash else ""))
    assert code == 0
    (made,) = (tmp_path / "bk").iterdir()
    assert made.name.startswith("x.backup-") and made.suffix == ".db"
    assert out == f"backup written: {made}\n"


def test_a_backup_into_a_missing_directory_is_refused(db: str, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "dir"
    code, out = run("--db", db, "backup", str(missing / "x.db"))
    assert (code, out) == (1, f"kpotui: directory {missing} does not exist\n")
    code, out = run("--db", db, "backup", str(tmp_path / "bk") + "/")
    assert (code, out) == (1, f"kpotui: directory {tmp_path / 'bk'} does not exist\n")
    assert not (tmp_path / "no").exists() and not (tmp_path / "bk").exists()


def test_a_postgres_url_without_its_driver_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_import = builtins.__import__

    def no_psycopg(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".")[0] == "psycopg":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    for name in [n for n in sys.modules if n.split(".")[0] == "psycopg"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(builtins, "__import__", no_psycopg)
    code, out = run("--db", "postgresql+psycopg://kpo@localhost/kpo", "db", "check")
    assert (code, out) == (
        1,
        "kpotui: PostgreSQL needs the driver: pip install 'kpotui[postgres]'\n",
    )


def test_config_get_db_names_the_database_in_use(tmp_path: Path) -> None:
    from kpotui.paths import default_db_path

    assert run("config", "get", "db") == (0, f"{default_db_path()} (default)\n")
    other = str(tmp_path / "env.db")
    assert run("config", "get", "db", env={"KPOTUI_DB": other}) == (0, f"{other} (KPOTUI_DB)\n")
    assert run("--db", other, "config", "get", "db") == (0, f"{other} (--db)\n")
    configured = str(tmp_path / "k.db")
    assert run("config", "set", "db", configured)[0] == 0
    assert run("config", "get", "db") == (0, f"{configured}\n")


def cells_before(line: str, text: str) -> int:
    """How many terminal cells of ``line`` come before ``text``."""
    from rich.cells import cell_len

    return cell_len(line[: line.index(text)])


def test_plain_tables_align_by_terminal_cells_without_trailing_spaces() -> None:
    from kpotui.reports.render import aligned_lines

    rows = [["⚖️ Legal", "K1", ""], ["日本語", "K22", ""], ["plain", "K3", "z"]]
    lines = aligned_lines(["name", "code", "x"], rows)
    assert lines[0] == "name      code  x"
    assert all(line == line.rstrip() for line in lines)
    assert {cells_before(line, "K") for line in lines[2:]} == {10}


def test_terminal_tables_have_no_trailing_spaces(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from kpotui.cli.data import _rich_sections
    from kpotui.reports.render import Section

    screen = io.StringIO()
    monkeypatch.setattr(sys, "stdout", screen)
    monkeypatch.setenv("COLUMNS", "40")
    rows = [["⚖️ Legal", "1"], ["日本語", "2"]]
    _rich_sections([Section("A section title long enough to wrap at forty", ["name", "n"], rows)])
    lines = screen.getvalue().splitlines()
    assert lines[0] == "A section title long enough to wrap at forty"
    assert all(line == line.rstrip() for line in lines)
    assert cells_before(lines[-3], "1") == cells_before(lines[-2], "2")


def test_a_listed_amount_has_separators_and_two_decimals(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    doc = (
        'format = "kpotui/1"\n[[providers]]\nname = "Acme"\n'
        '[[contracts]]\ncode = "C-1"\ntitle = "Review"\nprovider = "Acme"\n'
        'service_line = "legal"\nstart_date = 2025-01-01\nvalue = 552000\ncurrency = "USD"\n'
    )
    (tmp_path / "firm.toml").write_text(doc)
    assert run("--db", db, "import", "-q", str(tmp_path / "firm.toml"))[0] == 0
    code, out = run("--db", db, "list", "contracts")
    assert code == 0 and "552,000.00" in out and "552000" not in out
