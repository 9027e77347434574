"""Point 6: who may read the database files, and refusing filesystems that cannot hold them.

The database, its ``-wal`` / ``-shm`` files and its backups are 0600 under a umask of 022,
or 0660 and owned by the config's ``shared_group``; a database every account may read is
reported with the command that fixes it; a network filesystem is refused unless allowed.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kpotui import config
from kpotui.cli import main
from kpotui.services import records, writes
from kpotui.store import StoreError, open_store, permissions
from kpotui.store.backup import backup
from tests.shared.accounts import as_account, exit_status


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _open_with_wal(path: Path) -> object:
    """An open store with a write done, so its -wal and -shm files exist."""
    store = open_store(str(path))
    writes.create(store, "provider", {"name": "Meridian"})
    return store


def test_database_wal_shm_and_backups_are_private_under_umask_022(
    tmp_path: Path, umask_022: None
) -> None:
    path = tmp_path / "private.db"
    store = open_store(str(path))
    writes.create(store, "provider", {"name": "Meridian"})
    with store.read():
        files = permissions.companions(path)
        assert [p.name for p in files] == ["private.db", "private.db-wal", "private.db-shm"]
        assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
    copy = backup(store, tmp_path / "copy.db")
    store.close()
    assert mode(copy) == 0o600


def test_a_shared_group_makes_every_file_0660_and_the_groups(
    tmp_path: Path, umask_022: None
) -> None:
    group = grp.getgrgid(os.getgroups()[-1] if os.getgroups() else os.getgid())
    config.set_value("shared_group", group.gr_name)
    path = tmp_path / "team.db"
    store = open_store(str(path))
    writes.create(store, "provider", {"name": "Meridian"})
    with store.read():
        for file in permissions.companions(path):
            assert mode(file) == 0o660, file.name
            assert file.stat().st_gid == group.gr_gid, file.name
    copy = backup(store, tmp_path / "copy.db")
    store.close()
    assert (mode(copy), copy.stat().st_gid) == (0o660, group.gr_gid)


def test_an_unknown_shared_group_is_refused_before_any_file_is_made(tmp_path: Path) -> None:
    config.config_file().write_text('shared_group = "no-such-group-kpotui"\n')
    with pytest.raises(StoreError, match="not a group on this machine"):
        open_store(str(tmp_path / "x.db"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as other accounts")
def test_teammates_whose_primary_groups_differ_share_the_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three real accounts on one database: the owner, and two teammates whose primary
    groups differ (``nobody`` and ``daemon``) but who are both in the team's group
    (``staff``). The first teammate
    keeps the database open, so its ``-wal`` / ``-shm`` files exist, created with the
    first teammate's primary group; the second teammate must still be able to write."""
    team_gid = grp.getgrnam("staff").gr_gid
    outside = Path(tempfile.mkdtemp(prefix="kpotui-team-"))  # pytest's tmp is root-only
    try:
        outside.chmod(0o755)
        team = outside / "team"
        team.mkdir()
        os.chown(team, -1, team_gid)
        team.chmod(0o770)  # no setgid bit: new files get their creator's primary group
        shared_config = outside / "config.toml"
        shared_config.write_text('shared_group = "staff"\n')
        shared_config.chmod(0o644)
        monkeypatch.setenv("KPOTUI_CONFIG", str(shared_config))
        path = team / "kpotui.db"
        open_store(str(path)).close()
        assert (mode(path), path.stat().st_gid) == (0o660, team_gid)
        opened, release = os.pipe(), os.pipe()

        def first_teammate_keeps_it_open() -> None:
            store = open_store(str(path))
            writes.create(store, "provider", {"name": "First teammate"})
            with store.read():
                os.write(opened[1], b"x")
                os.read(release[0], 1)
            store.close()

        def second_teammate_writes() -> None:
            store = open_store(str(path))
            writes.create(store, "provider", {"name": "Second teammate"})
            store.close()

        nobody = pwd.getpwnam("nobody")
        first = as_account(nobody.pw_uid, [nobody.pw_gid, team_gid], first_teammate_keeps_it_open)
        try:
            assert os.read(opened[0], 1) == b"x"
            wal = path.with_name("kpotui.db-wal")
            assert (mode(wal), wal.stat().st_gid) == (0o660, team_gid)
            daemon = pwd.getpwnam("daemon")
            second = as_account(daemon.pw_uid, [daemon.pw_gid, team_gid], second_teammate_writes)
            assert exit_status(second) == 0
        finally:
            os.write(release[1], b"x")
            assert exit_status(first) == 0
        store = open_store(str(path))
        assert records.counts(store)["provider"] == 2
        store.close()
    finally:
        shutil.rmtree(outside)


def test_a_world_readable_database_warns_and_fails_the_check(tmp_path: Path) -> None:
    path = tmp_path / "open.db"
    open_store(str(path)).close()
    path.chmod(0o644)

    store = open_store(str(path))
    assert len(store.warnings) == 1
    assert "every account" in store.warnings[0]
    assert store.warnings[0].endswith(f"fix it with: chmod 600 {path}*")
    store.close()

    runner = CliRunner()
    checked = runner.invoke(main, ["--db", str(path), "db", "check"])
    assert checked.exit_code == 1
    assert f"chmod 600 {path}*" in checked.output

    subprocess.run(f"chmod 600 {path}*", shell=True, check=True)  # the command it gave
    checked = runner.invoke(main, ["--db", str(path), "db", "check"])
    assert checked.exit_code == 0, checked.output
    assert "warning" not in checked.output


def test_a_world_writable_database_is_reported_too(tmp_path: Path) -> None:
    path = tmp_path / "open.db"
    open_store(str(path)).close()
    path.chmod(0o602)
    store = open_store(str(path))
    assert "(mode 602)" in store.warnings[0]
    store.close()


def _fake_mountinfo(tmp_path: Path, fs_type: str) -> Path:
    """A mountinfo in which ``tmp_path`` is a mount of type ``fs_type``, as the kernel
    writes it (spaces in mount points escaped as octal)."""
    mount_point = str(tmp_path).replace(" ", "\\040")
    text = (
        "22 1 0:21 / / rw,relatime - ext4 /dev/vda rw\n"
        f"90 22 0:50 / {mount_point} rw,relatime shared:1 - {fs_type} server:/export rw\n"
    )
    fake = tmp_path.parent / f"mountinfo-{tmp_path.name}"
    fake.write_text(text)
    return fake


@pytest.mark.parametrize("fs_type", ["nfs4", "cifs"])
def test_a_database_on_a_network_filesystem_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fs_type: str
) -> None:
    monkeypatch.setattr(permissions, "MOUNTINFO", _fake_mountinfo(tmp_path, fs_type))
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "kpotui.db"), "init"])
    assert result.exit_code == 1
    message = result.output.strip()
    assert "\n" not in message and "Traceback" not in message
    assert f"on a network filesystem ({fs_type})" in message
    assert "allow_network_fs true" in message
    assert not (tmp_path / "kpotui.db").exists()


def test_the_network_filesystem_refusal_can_be_overridden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(permissions, "MOUNTINFO", _fake_mountinfo(tmp_path, "nfs"))
    with pytest.raises(StoreError, match="network filesystem"):
        open_store(str(tmp_path / "a.db"))

    monkeypatch.setenv(permissions.ALLOW_NETWORK_FS_ENV, "1")
    open_store(str(tmp_path / "a.db")).close()

    monkeypatch.delenv(permissions.ALLOW_NETWORK_FS_ENV)
    config.set_value("allow_network_fs", True)
    open_store(str(tmp_path / "a.db")).close()


def test_the_filesystem_type_comes_from_the_deepest_mount(tmp_path: Path) -> None:
    inner = tmp_path / "with space" / "db"
    inner.mkdir(parents=True)
    fake = _fake_mountinfo(tmp_path / "with space", "nfs4")
    assert permissions.filesystem_type(inner, fake) == "nfs4"
    assert permissions.filesystem_type(tmp_path, fake) == "ext4"
    assert permissions.filesystem_type(tmp_path, tmp_path / "missing") is None
