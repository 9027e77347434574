"""Options and closed sets several commands share, declared once (as sqlite-utils'
``output_options``): the same spelling, destination and help wherever they appear.

The kinds and reports are spelled here so that ``--help`` needs no import of the data
model (a test checks them against the code).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from kpotui.cli.common import UserError

F = TypeVar("F", bound=Callable[..., Any])

KINDS: dict[str, str] = {
    "provider": "providers",
    "contract": "contracts",
    "deliverable": "deliverables",
    "task": "tasks",
    "note": "notes",
    "decision": "decisions",
    "rate": "rates",
}
"""Every kind, singular -> plural, in dependency order."""
REPORTS = ("summary", "overdue", "risk", "costs", "providers", "decisions")
DAY = click.DateTime(formats=["%Y-%m-%d"])


class KindChoice(click.Choice[str]):
    """A kind, singular or plural, any case (``contract``, ``Contracts``); the value is
    the plural. Shown and completed as the plurals."""

    name = "kind"

    def __init__(self) -> None:
        super().__init__(list(KINDS.values()))

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = str(value).strip().lower()
        plural = KINDS.get(text, text)
        if plural not in self.choices:
            raise UserError(f"unknown kind {value!r} (known: {', '.join(self.choices)})")
        return plural


def format_option(*choices: str, default: str | None = None, help: str) -> Callable[[F], F]:
    """``--format`` with one of ``choices``, passed to the command as ``fmt``."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=default is not None,
        help=help,
    )


def today_option(func: F) -> F:
    """``--today``: the date to work as of, passed as ``today`` (a datetime or None)."""
    return click.option(
        "--today",
        type=DAY,
        metavar="YYYY-MM-DD",
        help="The date to work as of (default: KPOTUI_TODAY, else today).",
    )(func)


def quiet_option(func: F) -> F:
    """``--quiet``: no progress display, passed as ``quiet``."""
    return click.option(
        "-q", "--quiet", is_flag=True, help="No progress display (there is none off a terminal)."
    )(func)
