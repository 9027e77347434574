"""Acting as another OS account (tests run as root can become anyone)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path


def as_account(uid: int, groups: list[int], work: Callable[[], None]) -> int:
    """Fork a child that becomes account ``uid`` (primary group ``groups[0]``, member of
    the others) and runs ``work``; returns its pid (exit status 0 when ``work`` succeeded).

    A fork, not a new interpreter: the Python installation may not be readable by that
    account, and everything the work needs is imported already.
    """
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.setgroups(groups[1:])
            os.setgid(groups[0])
            os.setuid(uid)
            work()
            status = 0
        except BaseException as exc:
            print(f"as uid {uid}: {exc!r}", file=sys.stderr)
        finally:
            os._exit(status)
    return pid


def exit_status(pid: int) -> int:
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def run_cli_as(
    uid: int, gid: int, args: list[str], output: Path, *, groups: Sequence[int] = ()
) -> tuple[int, str]:
    """Run the ``kpotui`` command line as account ``uid:gid`` (and member of ``groups``) in
    a forked child; its exit status and what it wrote on stdout and stderr. Run the same
    command once as yourself first: the child cannot import what the account may not read."""
    from kpotui.cli import main

    errors = output / f"stderr-{os.getpid()}-{len(args)}"

    def work() -> None:
        with errors.open("w") as stream:
            sys.stdout = sys.stderr = stream  # not pytest's capture, which the parent owns
            try:
                main(args)
            except SystemExit as exc:
                stream.flush()
                os._exit(exc.code if isinstance(exc.code, int) else 1)

    output.chmod(0o777)
    status = exit_status(as_account(uid, [gid, *groups], work))
    return status, errors.read_text()
