"""Acting as another OS account (tests run as root can become anyone)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


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
