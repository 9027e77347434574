"""Real OS processes for the concurrency tests, started quickly.

A forkserver that has already imported kpotui forks each worker, so sixteen workers start
in a second or two instead of the ten seconds sixteen fresh interpreters take on two
cores. The forkserver's environment is that of the first test that used it, so every
worker is handed the current test's ``KPOTUI_*`` / ``XDG_*`` variables explicitly.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from multiprocessing.context import BaseContext
from typing import Any

_PRELOAD = [
    "kpotui.services.records",
    "kpotui.services.undo",
    "kpotui.store.backup",
    "kpotui.cli.data",
    "kpotui.interchange.importer",
]


def context() -> BaseContext:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    return ctx


def kpotui_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith(("KPOTUI_", "XDG_"))}


def adopt_environment(env: dict[str, str]) -> None:
    """Make this worker's environment the test's (see the module docstring)."""
    for name in [k for k in os.environ if k.startswith(("KPOTUI_", "XDG_"))]:
        del os.environ[name]
    os.environ.update(env)


def run_cli(env: dict[str, str], args: list[str]) -> None:
    """Run the ``kpotui`` command line in this process (exits with its status)."""
    from kpotui.cli import main

    adopt_environment(env)
    main(args)


def _call(env: dict[str, str], func: Callable[..., Any], args: Sequence[Any]) -> Any:
    adopt_environment(env)
    return func(*args)


def run_in_processes(func: Callable[..., Any], arguments: Sequence[Sequence[Any]]) -> list[Any]:
    """Run ``func(*args)`` for each ``args`` at once, one process each; their results."""
    env = kpotui_environment()
    with context().Pool(len(arguments)) as pool:
        return pool.starmap(_call, [(env, func, args) for args in arguments])
