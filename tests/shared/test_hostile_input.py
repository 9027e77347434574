"""Point 9: hostile input, beyond the interchange tests. Each case is run as a real
``kpotui`` process and must end with one-line errors, exit status 1, no traceback, and the
database (or whatever the path named) exactly as before."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kpotui.store import open_store
from tests.services import factories
from tests.shared.accounts import run_cli_as
from tests.shared.dbfiles import content

REPORT_PEAK_MEMORY = (
    "import atexit, sys; atexit.register(lambda: print('peak-rss-kib',"
    " open('/proc/self/status').read().split('VmHWM:')[1].split()[0], file=sys.stderr));"
    " from kpotui.cli import main; main()"
)
"""Runs kpotui and reports its peak memory: VmHWM, not ru_maxrss, which Linux counts from
before the exec and so includes the size of this test process."""


def kpotui(*args: str, limit: Callable[[], None] | None = None) -> tuple[int, list[str], int]:
    """Run ``kpotui ARGS``: exit status, the lines it wrote on stderr, its peak memory."""
    done = subprocess.run(
        [sys.executable, "-c", REPORT_PEAK_MEMORY, *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        preexec_fn=limit,
    )
    lines = done.stderr.splitlines()
    peak = [int(line.split()[1]) for line in lines if line.startswith("peak-rss-kib")]
    return done.returncode, [line for line in lines if not line.startswith("peak-rss")], peak[0]


def assert_refused(status: int, errors: list[str], *expected: str) -> None:
    """Exit 1; a few one-line messages ending with kpotui's own; no traceback."""
    text = "\n".join(errors)
    assert status == 1, text
    assert "Traceback" not in text and "sqlalchemy" not in text.lower(), text
    assert 1 <= len(errors) <= 3, text
    assert errors[-1].startswith("kpotui: "), text
    for fragment in expected:
        assert fragment in text, text


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "firm.db"
    store = open_store(str(path))
    factories.provider(store)
    factories.contract(store)
    factories.task(store)
    store.close()
    return path


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


BINARY = random.Random(9).randbytes(16_384)  # e.g. a spreadsheet saved as .csv by mistake
FIRM = '{"format": "kpotui/1", "tasks": [%s]}'
TASK = '{"name": "A", "classification": "core", "sourcing": "in-house"%s}'
TASKS_CSV = "name,classification,sourcing,hours_per_month,notes\n"
FILES: dict[str, tuple[str, str | bytes, str]] = {
    # case: (file name, content, what the error must say)
    "1 MB single field": ("tasks.csv", TASKS_CSV + "A,core,in-house,," + "x" * 10**6, "too long"),
    "deeply nested JSON": ("firm.json", FIRM % ("[" * 100_000 + "]" * 100_000), "too deeply"),
    "5,000-digit number in CSV": (
        "tasks.csv",
        TASKS_CSV + "A,core,in-house," + "9" * 5000 + ",",
        "hours_per_month: number too large",
    ),
    "5,000-digit number in JSON": (
        "firm.json",
        FIRM % (TASK % (', "hours_per_month": ' + "9" * 5000)),
        "invalid JSON: a number of more than 4,300 digits",
    ),
    "5,000-digit number in TOML": (
        "firm.toml",
        'format = "kpotui/1"\n[[tasks]]\nname = "A"\nhours_per_month = ' + "9" * 5000,
        "firm.toml:4: invalid TOML: a number of more than 4,300 digits",
    ),
    "NUL byte in CSV": ("tasks.csv", TASKS_CSV + "A\x00B,core,in-house,,", "NUL"),
    "NUL byte in JSON": ("firm.json", FIRM % TASK % ', "notes": "a\\u0000b"', "NUL"),
    "binary file as CSV": ("tasks.csv", BINARY, "UTF-8"),
    "binary file as JSON": ("firm.json", BINARY, "UTF-8"),
    "binary file as TOML": ("firm.toml", BINARY, "UTF-8"),
}


@pytest.mark.parametrize("case", list(FILES))
def test_a_hostile_file_is_refused_in_one_line(db: Path, tmp_path: Path, case: str) -> None:
    name, data, expected = FILES[case]
    source = write(tmp_path / "input" / name, data)
    before = content(db)

    status, errors, _ = kpotui("--db", str(db), "import", str(source))

    assert_refused(status, errors, name, expected)
    assert content(db) == before


def test_a_200_mb_csv_is_refused_without_being_read_into_memory(db: Path, tmp_path: Path) -> None:
    """200 MB whose second row opens a quote that never closes: the cell would swallow
    the rest of the file. It is refused after a bounded read, in bounded memory."""
    source = tmp_path / "tasks.csv"
    block = ("All work and no play makes Jack a dull boy, " * 24 + "\n") * 1000
    with source.open("w", encoding="utf-8") as out:
        out.write(TASKS_CSV + 'A,core,in-house,,"')
        while out.tell() < 200 * 2**20:
            out.write(block)
    before = content(db)

    status, errors, peak_kib = kpotui("--db", str(db), "import", str(source))

    assert_refused(status, errors, "tasks.csv:2:", "unterminated quote")
    assert peak_kib < 150 * 1024, f"peak memory {peak_kib // 1024} MiB"
    assert content(db) == before


def test_a_database_path_that_is_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    status, errors, _ = kpotui("--db", str(folder), "list", "tasks")
    assert_refused(status, errors, "is a directory")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    "data",
    [os.urandom(8192), b"SQLite format 3\x00" + b"\xff" * 4080, b"name,city\nx,y\n"],
    ids=["random bytes", "a SQLite header then garbage", "a CSV file"],
)
def test_a_database_file_that_is_not_a_database(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path / "kpotui.db", data)
    status, errors, _ = kpotui("--db", str(path), "list", "tasks")
    assert_refused(status, errors, "not a database")
    assert path.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kpotui.db"]


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A directory outside pytest's own (which only root may enter)."""
    path = Path(tempfile.mkdtemp(prefix="kpotui-hostile-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path)


def test_a_read_only_database_file(db: Path, shared_tmp: Path) -> None:
    """As root (who may write any file) the command runs as ``nobody`` on nobody's file."""
    path = shared_tmp / "firm.db"
    shutil.copyfile(db, path)
    data = path.read_bytes()
    args = ["--db", str(path), "import", str(write(shared_tmp / "tasks.csv", TASKS_CSV))]
    if os.geteuid() == 0:
        os.chown(path, 65534, 65534)
        os.chown(shared_tmp, 65534, 65534)
        path.chmod(0o444)
        kpotui("--db", str(db), "import", args[-1])  # imports what the child will need
        status, output = run_cli_as(65534, 65534, args, shared_tmp)
        errors = output.splitlines()
    else:
        path.chmod(0o444)
        status, errors, _ = kpotui(*args)
    assert_refused(status, errors, "this command changes the database", "you may not write to")
    assert path.read_bytes() == data
    assert sorted(p.name for p in shared_tmp.iterdir() if p.name.startswith("firm")) == ["firm.db"]


def _file_size_limit(size: int) -> Callable[[], None]:
    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


def _tiny_tmpfs(mount_point: Path) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    mount_point.mkdir()
    command = ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount_point)]
    return subprocess.run(command, capture_output=True, check=False).returncode == 0


@pytest.mark.parametrize("how", ["tiny tmpfs", "file size limit"])
def test_a_full_disk(db: Path, tmp_path: Path, how: str) -> None:
    rows = "".join(f"Activity {n},core,in-house,,{'notes ' * 30}\n" for n in range(20_000))
    source = write(tmp_path / "tasks.csv", TASKS_CSV + rows)
    disk = tmp_path / "disk"
    limit = None
    if how == "tiny tmpfs":
        if not _tiny_tmpfs(disk):
            pytest.skip("mounting a tmpfs needs root")
    else:
        disk.mkdir()
        limit = _file_size_limit(db.stat().st_size + 64 * 1024)
    try:
        path = disk / "firm.db"
        shutil.copyfile(db, path)
        before = content(path)

        status, errors, _ = kpotui("--db", str(path), "import", str(source), limit=limit)

        assert_refused(status, errors)
        assert any(word in errors[-1] for word in ("full", "disk I/O error")), errors
        assert content(path) == before
    finally:
        if how == "tiny tmpfs":
            subprocess.run(["umount", str(disk)], check=True)
