"""Read-only is for reading: a database this account may read but not change.

Commands that only read open it read-only by themselves and say so once; commands that
change it refuse in one line; nothing is ever left next to the file (a ``-wal`` or
``-shm`` this account creates is one its owner cannot write, which stops their saves).

Run as root (who may write any file), each command runs as ``nobody``, a member of the
file's group, in a forked child; run as anyone else, on the account's own files made
unwritable.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpotui.cli import main
from kpotui.services import records, writes
from kpotui.store import open_store, permissions
from tests.services import factories
from tests.shared.accounts import as_account, exit_status, run_cli_as

NOBODY = 65534
GROUP = 54321
"""The database file's group: only the reading account is in it (no name needed)."""
AS_ROOT = os.geteuid() == 0


def _can_become_nobody() -> bool:
    return exit_status(as_account(NOBODY, [NOBODY, GROUP], lambda: None)) == 0


pytestmark = pytest.mark.skipif(
    AS_ROOT and not _can_become_nobody(), reason="running as root, but cannot become nobody"
)


@pytest.fixture
def place() -> Iterator[Path]:
    """A directory outside pytest's own (which only root may enter)."""
    path = Path(tempfile.mkdtemp(prefix="kpotui-read-only-"))
    try:
        yield path
    finally:
        path.chmod(0o700)
        shutil.rmtree(path)


@pytest.fixture
def output() -> Iterator[Path]:
    """Where the forked child writes what it prints (not the database's directory)."""
    path = Path(tempfile.mkdtemp(prefix="kpotui-read-only-out-"))
    try:
        yield path
    finally:
        shutil.rmtree(path)


def firm(directory: Path) -> Path:
    path = directory / "firm.db"
    store = open_store(str(path))
    factories.provider(store)
    factories.contract(store)
    factories.task(store)
    store.close()
    return path


def restrict(path: Path, *, file_mode: int, directory_mode: int) -> None:
    """Give the database file, and whichever of its -wal and -shm exist, the reader's
    group and ``file_mode``, and its directory ``directory_mode``."""
    for file in permissions.companions(path):
        if AS_ROOT:
            os.chown(file, 0, GROUP)
        file.chmod(file_mode)
    path.parent.chmod(directory_mode)


def as_reader(args: list[str], output: Path) -> tuple[int, str]:
    """Run ``kpotui ARGS`` as the reading account: exit status, everything it printed."""
    if AS_ROOT:
        _import_what_it_needs(args)
        return run_cli_as(NOBODY, NOBODY, args, output, groups=[GROUP])
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.output


def _import_what_it_needs(args: list[str]) -> None:
    """Run ``args`` once as this account on a copy of the database, so that every module
    the command imports is loaded before the reading account forks: that account may not
    read this checkout (a clone in a private temporary directory, as CI makes)."""
    at = args.index("--db") + 1
    with tempfile.TemporaryDirectory() as copies:
        copy = Path(copies) / "firm.db"
        shutil.copyfile(args[at], copy)
        elsewhere = [  # what it writes (a backup) goes to the copies too
            str(Path(copies) / Path(arg).name) if arg.startswith(tempfile.gettempdir()) else arg
            for arg in args
        ]
        elsewhere[at] = str(copy)
        CliRunner().invoke(main, elsewhere)


def files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def assert_one_line_refusal(status: int, text: str, *expected: str) -> None:
    lines = text.splitlines()
    assert status == 1, text
    assert len(lines) == 1 and lines[0].startswith("kpotui: "), text
    assert "Traceback" not in text and "Error" not in text, text
    for fragment in expected:
        assert fragment in text, text


READING = {
    "list": (["list", "providers"], "Meridian"),
    "export": (["export", "--format", "json"], '"Meridian"'),
    "report": (["report", "providers"], "Meridian"),
    "db check": (["db", "check"], "healthy"),
    "setting list": (["setting", "list"], "due_soon_days"),
}
PLACES = {
    "file 0440, directory writable": (0o440, 0o777, "you may not write to"),
    "file 0440, directory not writable": (0o440, 0o555, "you may not write to"),
    "file 0660, directory not writable": (0o660, 0o555, "you may not create files in"),
}


@pytest.mark.parametrize("place_case", PLACES.values(), ids=PLACES.keys())
@pytest.mark.parametrize("command", READING.values(), ids=READING.keys())
def test_commands_that_read_open_it_read_only_and_say_so_once(
    place: Path, output: Path, place_case: tuple[int, int, str], command: tuple[list[str], str]
) -> None:
    file_mode, directory_mode, reason = place_case
    args, shown = command
    path = firm(place)
    data = path.read_bytes()
    restrict(path, file_mode=file_mode, directory_mode=directory_mode)
    status, text = as_reader(["--db", str(path), *args], output)
    assert status == 0, text
    assert shown in text
    assert text.count("opened read-only") == 1, text
    assert f"kpotui: opened read-only: {reason}" in text, text
    assert files(place) == ["firm.db"]
    assert path.read_bytes() == data


def test_a_backup_copies_a_file_you_may_only_read(place: Path, output: Path) -> None:
    path = firm(place)
    restrict(path, file_mode=0o440, directory_mode=0o555)
    status, text = as_reader(["--db", str(path), "backup", str(output / "copy.db")], output)
    assert status == 0, text
    assert "backup written" in text
    copy = open_store(str(output / "copy.db"), read_only=True)
    assert records.counts(copy)["provider"] == 1
    copy.close()
    assert files(place) == ["firm.db"]


CHANGING = {
    "import": ["import", "-"],
    "undo": ["undo", "--yes"],
    "setting set": ["setting", "set", "due_soon_days", "20"],
    "init": ["init"],
    "db upgrade": ["db", "upgrade"],
}


@pytest.mark.parametrize("args", CHANGING.values(), ids=CHANGING.keys())
def test_commands_that_change_it_refuse_in_one_line(
    place: Path, output: Path, args: list[str]
) -> None:
    path = firm(place)
    data = path.read_bytes()
    if args[0] == "import":  # a real file: the child's stdin is the test's
        tasks = place / "tasks.csv"
        tasks.write_text("name,classification,sourcing\nReview,core,in-house\n")
        args = ["import", str(tasks)]
    restrict(path, file_mode=0o440, directory_mode=0o777)
    status, text = as_reader(["--db", str(path), *args], output)
    assert_one_line_refusal(
        status, text, "this command changes the database, and you may not write to"
    )
    assert "opened read-only" not in text
    assert [name for name in files(place) if name.startswith("firm")] == ["firm.db"]
    assert path.read_bytes() == data


@pytest.mark.parametrize("flag", [["--read-only"], []], ids=["--read-only", "by itself"])
def test_a_directory_nobody_may_write_leaves_nothing_behind(
    place: Path, output: Path, flag: list[str]
) -> None:
    path = firm(place)
    restrict(path, file_mode=0o440, directory_mode=0o555)
    status, text = as_reader(["--db", str(path), *flag, "list", "contracts"], output)
    assert status == 0, text
    assert "ENG-1" in text
    assert text.count("opened read-only") == (0 if flag else 1), text
    assert files(place) == ["firm.db"]


def test_changes_still_in_the_wal_of_someone_working_are_read(place: Path, output: Path) -> None:
    """A writer has the database open: its -wal holds a change the file does not have yet."""
    path = firm(place)
    writer = open_store(str(path))
    try:
        writes.create(writer, "provider", {"name": "Northwind"})
        with writer.read():
            restrict(path, file_mode=0o440, directory_mode=0o555)
            status, text = as_reader(["--db", str(path), "list", "providers"], output)
            assert files(place) == ["firm.db", "firm.db-shm", "firm.db-wal"]
    finally:
        writer.close()
    assert status == 0, text
    assert "Northwind" in text and "Meridian" in text


@pytest.mark.skipif(not AS_ROOT, reason="needs a -wal owned by another account")
def test_a_wal_the_reader_may_not_read_is_refused_in_one_line(place: Path, output: Path) -> None:
    path = firm(place)
    writer = open_store(str(path))
    try:
        writes.create(writer, "provider", {"name": "Northwind"})
        with writer.read():
            restrict(path, file_mode=0o440, directory_mode=0o555)
            (place / "firm.db-wal").chmod(0o400)
            status, text = as_reader(["--db", str(path), "list", "providers"], output)
    finally:
        writer.close()
    assert_one_line_refusal(status, text, "firm.db-wal: you may not read this file")
