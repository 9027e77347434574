"""Who may read a SQLite database's files, and whether their filesystem can hold them safely.

* New database files and backups are 0600, or 0660 and owned by the config's
  ``shared_group`` when a team shares one database on a server. SQLite gives the ``-wal``
  and ``-shm`` files the database file's mode; :func:`match_companions` also gives them its
  group, so a teammate whose primary group differs can still open them.
* A database file that every account on the machine may read or write is reported, with
  the ``chmod`` command that fixes it.
* NFS, CIFS and other network filesystems are refused: SQLite's file locking is unreliable
  there, and two writers can corrupt the database. ``allow_network_fs = true`` in the
  config, or ``KPOTUI_ALLOW_NETWORK_FS=1``, opens it anyway.
"""

from __future__ import annotations

import os
import shlex
import stat
from pathlib import Path

from kpotui import config
from kpotui.store.engine import StoreError
from kpotui.target import write_refusal

PRIVATE_MODE = 0o600
SHARED_MODE = 0o660
ALLOW_NETWORK_FS_ENV = "KPOTUI_ALLOW_NETWORK_FS"
MOUNTINFO = Path("/proc/self/mountinfo")
NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "fuse.sshfs"}
)
"""Filesystem types (as the kernel names them) whose locking SQLite cannot rely on."""


def shared_group() -> str | None:
    group = config.get("shared_group")
    return str(group) if group else None


def file_mode() -> int:
    """The mode of new database and backup files: 0660 with a shared group, else 0600."""
    return SHARED_MODE if shared_group() else PRIVATE_MODE


def _group_id(name: str) -> int:
    import grp

    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        raise StoreError(
            f"shared_group {name!r} is not a group on this machine "
            "(fix it with 'kpotui config set shared_group GROUP')"
        ) from None


def secure_new_file(path: Path) -> None:
    """Give a file kpotui has just created the configured mode and group."""
    group = shared_group()
    if group is not None:
        os.chown(path, -1, _group_id(group))
    os.chmod(path, file_mode())


def companions(path: Path) -> list[Path]:
    """The database file and whichever of its ``-wal`` / ``-shm`` files exist now."""
    found = [path]
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            found.append(extra)
    return found


def match_companions(path: Path) -> None:
    """Give the ``-wal`` / ``-shm`` files this process owns the database file's group and mode."""
    try:
        db = path.stat()
        for extra in companions(path)[1:]:
            info = extra.stat()
            if info.st_uid != os.geteuid():
                continue
            if info.st_gid != db.st_gid:
                os.chown(extra, -1, db.st_gid)
            if stat.S_IMODE(info.st_mode) != stat.S_IMODE(db.st_mode):
                os.chmod(extra, stat.S_IMODE(db.st_mode))
    except OSError:
        pass  # gone meanwhile, or not ours to change: SQLite reports what matters


def world_access_problem(path: Path) -> str | None:
    """A one-line warning, with the fix, when any account may read or write the database."""
    exposed = [p for p in companions(path) if p.stat().st_mode & 0o007]
    if not exposed:
        return None
    mode = stat.S_IMODE(exposed[0].stat().st_mode)
    fix = f"chmod {file_mode():o} {shlex.quote(str(path))}*"  # with its -wal and -shm
    return (
        f"{exposed[0]} can be read or changed by every account on this machine "
        f"(mode {mode:o}); fix it with: {fix}"
    )


def refuse_unwritable(path: Path) -> None:
    """Refuse up front, for a command that changes the database, a file this account may
    not change, instead of failing later (commands that only read open it read-only)."""
    reason = write_refusal(path)
    if reason is not None:
        raise StoreError(f"this command changes the database, and {reason}")


def _unescape(field: str) -> str:
    """Mount points in mountinfo escape space, tab, newline and backslash as octal."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def filesystem_type(directory: Path, mountinfo: Path | None = None) -> str | None:
    """The type of the filesystem holding ``directory`` (Linux), or None when unknown."""
    try:
        lines = (mountinfo or MOUNTINFO).read_text().splitlines()
    except OSError:
        return None
    target = str(directory.resolve())
    best, best_type = "", None
    for line in lines:
        before, _, after = line.partition(" - ")
        fields, tail = before.split(), after.split()
        if len(fields) < 5 or not tail:
            continue
        mount_point = _unescape(fields[4])
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, best_type = mount_point, tail[0]
    return best_type


def network_fs_allowed() -> bool:
    flag = os.environ.get(ALLOW_NETWORK_FS_ENV, "").strip().lower()
    return flag in {"1", "true", "yes", "on"} or config.get("allow_network_fs") is True


def refuse_network_fs(path: Path) -> None:
    """Raise :class:`StoreError` when ``path`` lies on a network filesystem (unless allowed)."""
    fs_type = filesystem_type(path.parent)
    if fs_type not in NETWORK_FILESYSTEMS or network_fs_allowed():
        return
    raise StoreError(
        f"{path}: on a network filesystem ({fs_type}), where SQLite's file locking is "
        "unreliable and users writing at the same time can corrupt the database; keep it "
        "on a local disk of the server (or use PostgreSQL), or open it anyway with "
        f"'kpotui config set allow_network_fs true' or {ALLOW_NETWORK_FS_ENV}=1"
    )
