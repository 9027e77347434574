"""Shared options (one --format, kinds singular or plural) and the progress display."""

from __future__ import annotations

import io
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kpotui.cli import main, progress
from kpotui.cli.progress import CountingWriter, ImportProgress, interactive


def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.output


def as_terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """stderr (and stdout) as a wide terminal whose output the test reads (patched in the
    test itself: pytest's capture puts its own streams back after the fixtures)."""
    screen = io.StringIO()
    monkeypatch.setattr(screen, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(progress.sys, "stderr", screen)
    monkeypatch.setattr(progress.sys, "stdout", screen)
    monkeypatch.setenv("COLUMNS", "160")
    return screen


def test_every_format_option_is_one_declaration() -> None:
    for name in ("import", "export", "list", "report"):
        command = main.commands[name]
        assert isinstance(command, click.Command)
        (option,) = [p for p in command.params if "--format" in p.opts]
        assert option.name == "fmt" and isinstance(option.type, click.Choice), name


def test_a_kind_is_singular_or_plural(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    stdin = "name\nAcme Research\n"
    assert run("--db", db, "import", "--kind", "provider", "-", stdin=stdin)[0] == 0
    singular, plural = run("--db", db, "list", "provider"), run("--db", db, "list", "Providers")
    assert singular == plural and singular[0] == 0 and "Acme Research" in singular[1]


def test_an_unknown_kind_is_refused_with_the_kinds() -> None:
    known = "providers, contracts, deliverables, tasks, notes, decisions, rates"
    for args, kind in ((["list", "widgets"], "widgets"), (["import", "--kind", "x", "-"], "x")):
        code, out = run(*args)
        assert (code, out) == (
            1,
            f"kpotui: unknown kind {kind!r} (known: {known}; activities are tasks)\n",
        )


def test_import_progress_shows_rows_and_the_bytes_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = as_terminal(monkeypatch)
    monkeypatch.setattr(progress, "SHOW_AFTER_SECONDS", 0.0)
    csv = tmp_path / "tasks.csv"
    csv.write_bytes(b"x" * 1000)
    with csv.open("rb") as stream:
        stream.read(250)
        shown = ImportProgress([stream], enabled=True)
        shown("tasks", 12_345)
        shown.close()
    screen = terminal.getvalue()
    assert "importing tasks" in screen and "12,345 rows" in screen and "25%" in screen


def test_no_progress_in_the_first_second(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = as_terminal(monkeypatch)
    monkeypatch.setattr(progress, "SHOW_AFTER_SECONDS", 3600.0)
    shown = ImportProgress([], enabled=True)
    shown("notes", 1_000)
    shown.close()
    assert terminal.getvalue() == ""


def test_export_progress_counts_what_is_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = as_terminal(monkeypatch)
    monkeypatch.setattr(progress, "SHOW_AFTER_SECONDS", 0.0)
    out = io.StringIO()
    writer = CountingWriter(out, enabled=True, label="exporting toml")
    writer.write("a" * 2000)
    writer.close()
    assert out.getvalue() == "a" * 2000
    assert "exporting toml" in terminal.getvalue() and "2,000 characters" in terminal.getvalue()


def test_progress_only_in_an_interactive_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    as_terminal(monkeypatch)
    assert interactive(quiet=False)
    assert not interactive(quiet=True)
    monkeypatch.setattr(progress.sys, "stdout", io.StringIO())  # output piped
    assert not interactive(quiet=False)


def test_quiet_is_accepted_by_import_and_export(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    assert run("--db", db, "import", "-q", "--kind", "providers", "-", stdin="name\nA\n")[0] == 0
    code, out = run("--db", db, "export", "--quiet", "--format", "json")
    assert code == 0 and '"name": "A"' in out
