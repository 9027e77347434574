"""Options and closed sets several commands share, declared once (as sqlite-utils'
``output_options``): the same spelling, destination and help wherever they appear.

The kinds and reports are spelled here so that ``--help`` needs no import of the data
model (a test checks them against the code).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
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
KIND_ALIASES: dict[str, str] = {"activity": "tasks", "activities": "tasks"}
"""The names the app shows where they differ from the kind's (a task is an activity)."""
REPORTS = (
    "summary",
    "overdue",
    "risk",
    "costs",
    "providers",
    "decisions",
    "impact",
    "exit",
    "knowledge",
    "sla",
)
DATE_FORMS = "YYYY-MM-DD, today, yesterday, tomorrow, or days or weeks from today: +14d, -30d, +2w"
_NAMED_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1}
_OFFSET = re.compile(r"([+-])(\d{1,6})([dw])")
_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")


class DayType(click.ParamType):
    """A date in any of :data:`DATE_FORMS`; relative forms count from ``--today`` when the
    command has it (it is eager, so parsed first), else from KPOTUI_TODAY, else today.

    The value is a datetime at midnight, as ``click.DateTime`` gives: callers take
    ``.date()``."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, datetime):
            return value
        where = param.opts[0] if param is not None and param.opts else "date"
        text = str(value).strip().lower()
        try:
            return datetime.strptime(text, "%Y-%m-%d")
        except ValueError:
            pass
        offset = _offset(text)
        if offset is None and _DATE_SHAPE.fullmatch(text):
            from kpotui.services.validation import parse_day

            try:
                parse_day(text)
            except ValueError as exc:
                raise UserError(f"{where}: {exc}") from None
        if offset is None:
            raise UserError(f"{where}: {str(value)[:40]!r} is not a date (use {DATE_FORMS})")
        try:
            return datetime.combine(_base(ctx) + offset, datetime.min.time())
        except OverflowError:
            raise UserError(f"{where}: {value!r} is out of range") from None


def _offset(text: str) -> timedelta | None:
    if text in _NAMED_DAYS:
        return timedelta(days=_NAMED_DAYS[text])
    match = _OFFSET.fullmatch(text)
    if match is None:
        return None
    sign, count, unit = match.groups()
    days = int(count) * (7 if unit == "w" else 1)
    return timedelta(days=-days if sign == "-" else days)


def _base(ctx: click.Context | None) -> date:
    """The date relative forms count from."""
    from kpotui.services.clock import today

    given = ctx.params.get("today") if ctx is not None else None
    if isinstance(given, datetime):
        return given.date()
    try:
        return today()
    except ValueError:
        raise UserError("KPOTUI_TODAY: not a date in YYYY-MM-DD form") from None


DAY = DayType()


class KindChoice(click.Choice[str]):
    """A kind, singular or plural, any case (``contract``, ``Contracts``), or as the app
    names it (``activities`` are tasks); the value is the plural. Shown and completed as
    the plurals. Every command taking a kind uses it."""

    name = "kind"

    def __init__(self) -> None:
        super().__init__(list(KINDS.values()))

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = str(value).strip().lower()
        plural = KIND_ALIASES.get(text) or KINDS.get(text, text)
        if plural not in self.choices:
            raise UserError(unknown_kind(str(value), list(self.choices)))
        return plural


def unknown_kind(value: str, known: list[str]) -> str:
    """``unknown kind 'contrats' (known: ..., did you mean contracts?)``."""
    from difflib import get_close_matches

    names = [*known, *KINDS, *KIND_ALIASES]
    close = get_close_matches(value.strip().lower(), names, n=1, cutoff=0.6)
    if close:
        hint = f", did you mean {KIND_ALIASES.get(close[0]) or KINDS.get(close[0], close[0])}?"
    else:
        hint = "; activities are tasks" if "tasks" in known else ""
    return f"unknown kind {value!r} (known: {', '.join(known)}{hint})"


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
        is_eager=True,  # parsed before the other dates, which may count from it
        help="The date to work as of, and that relative dates count from (default: "
        "KPOTUI_TODAY, else today).",
    )(func)


def quiet_option(func: F) -> F:
    """``--quiet``: no progress display, passed as ``quiet``."""
    return click.option(
        "-q", "--quiet", is_flag=True, help="No progress display (there is none off a terminal)."
    )(func)
