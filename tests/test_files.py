"""The one way kpotui replaces a file: all of the new content or none of it, private."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kpotui.files import atomic_path, atomic_text


def test_the_new_content_replaces_the_file_privately(tmp_path: Path) -> None:
    target = tmp_path / "out.toml"
    target.write_text("old\n")
    target.chmod(0o644)
    with atomic_text(target) as out:
        out.write("new\r\n")
    assert target.read_bytes() == b"new\r\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(tmp_path.iterdir()) == [target]


def test_an_error_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.toml"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_text(target) as out:
        out.write("half of it")
        raise RuntimeError("disk full")
    assert target.read_text() == "old\n"
    assert sorted(tmp_path.iterdir()) == [target]


def test_the_file_is_built_beside_the_target_with_the_mode_asked(tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    with atomic_path(target, mode=0o660) as building:
        assert building.parent == tmp_path and not target.exists()
        assert stat.S_IMODE(building.stat().st_mode) == 0o660
        building.write_bytes(b"data")
    assert target.read_bytes() == b"data"
    assert stat.S_IMODE(target.stat().st_mode) == 0o660
