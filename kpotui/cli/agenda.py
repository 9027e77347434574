"""``kpotui agenda``: every dated obligation, who must act; for cron, mail and calendars."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kpotui.cli.common import AppContext, UserError, opened_store, pass_app, user_errors
from kpotui.cli.log import UNITS
from kpotui.cli.options import format_option, today_option

if TYPE_CHECKING:
    from kpotui.services.agenda import Item

ITEM_KINDS = (
    "deliverable-due",
    "deliverable-review",
    "notice-deadline",
    "lapsed-contract",
    "certificate-expiry",
    "security-review",
    "note-review",
    "proposed-decision",
    "sla-breach",
)
"""The item kinds of :data:`kpotui.services.agenda.ITEM_KINDS`, spelled here so that
``--help`` imports no services (a test holds the two together)."""
FAIL_ON = ("overdue", "any", "never")


class Within(click.ParamType):
    """How far ahead: ``30d``, ``2w`` or a number of days; the value is days."""

    name = "within"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, int):
            return value
        found = re.fullmatch(r"(\d{1,5})\s*([dw]?)", str(value).strip().lower())
        if found is None:
            self.fail(f"{str(value)[:40]!r} is not a number of days or weeks (30d, 2w)")
        return int(found[1]) * UNITS.get(found[2], 1)


class KindList(click.ParamType):
    """A comma list of item kinds; the value is a tuple of them."""

    name = "kind,…"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        kinds = tuple(part.strip().lower() for part in str(value).split(",") if part.strip())
        unknown = [kind for kind in kinds if kind not in ITEM_KINDS]
        if unknown or not kinds:
            self.fail(
                f"unknown item kind {(unknown or [''])[0]!r} (known: {', '.join(ITEM_KINDS)})"
            )
        return kinds


class AgendaCommand(click.Command):
    """A bad option value is a usage error (exit status 2), the date options' too, so a
    cron job tells a wrong line from an agenda with something overdue (1)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except UserError as exc:
            raise click.UsageError(exc.message, ctx) from None


@click.command("agenda", cls=AgendaCommand)
@click.option(
    "--within",
    type=Within(),
    default="30d",
    show_default=True,
    metavar="30d|2w|DAYS",
    help="How far ahead to list (notice deadlines show from their first lead time).",
)
@click.option("--owner", metavar="NAME", help="Only items this person must act on (any case).")
@click.option(
    "--item", "kinds", type=KindList(), help=f"Only these kinds: {', '.join(ITEM_KINDS)}."
)
@today_option
@format_option(
    "text", "json", "md", "ics", default="text", help="md is Markdown; ics an iCalendar file."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file, atomically.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default="overdue",
    show_default=True,
    help="Exit 1 when something is overdue, when anything is listed, or never.",
)
@click.option("--all", "show_all", is_flag=True, help="Acknowledged items too.")
@pass_app
@user_errors
def agenda_command(
    app: AppContext,
    within: int,
    owner: str | None,
    kinds: tuple[str, ...] | None,
    today: datetime | None,
    fmt: str,
    output: Path | None,
    fail_on: str,
    show_all: bool,
) -> None:
    """Everything due, overdue or coming up, with what to do and who must act.

    Text groups the items as Overdue, This week, Next 30 days and Later, one line each:
    date, what to do, record, responsible; nothing at all when there is nothing. Exit
    status 1 when something is overdue (see --fail-on), 2 for a usage error.
    """
    from kpotui.services import agenda, clock

    day = today.date() if today is not None else clock.today()
    with opened_store(app, create=False) as store:
        items = agenda.agenda(
            store,
            day,
            within_days=within,
            owner=owner,
            kinds=kinds,
            include_acknowledged=show_all,
        )
        leads = agenda.lead_times(store) if fmt == "ics" else ()
    if fmt == "ics":
        from kpotui.interchange.agenda_ics import calendar

        _write(calendar(items, today=day, lead_times=leads).decode("utf-8"), output)
    else:
        _write({"text": text, "json": as_json, "md": markdown}[fmt](items, day), output)
    overdue = any(item.day < day for item in items)
    if (fail_on == "overdue" and overdue) or (fail_on == "any" and items):
        raise SystemExit(1)


def _write(content: str, output: Path | None) -> None:
    if output is None:
        click.echo(content, nl=False)
        return
    from kpotui.files import atomic_text

    with atomic_text(output) as out:
        out.write(content)


def _grouped(items: list[Item], today: date) -> dict[str, list[Item]]:
    from kpotui.services.agenda import GROUPS

    groups: dict[str, list[Item]] = {name: [] for name in GROUPS}
    for item in items:
        groups[item.group(today)].append(item)
    return {name: found for name, found in groups.items() if found}


def text(items: list[Item], today: date) -> str:
    """A heading per group, one line per item; empty when there are no items."""
    from kpotui.text import visible

    lines = []
    for name, found in _grouped(items, today).items():
        lines.append(f"{name} ({len(found)})")
        for item in found:
            seen = " (acknowledged)" if item.acknowledged else ""
            record = f"{item.record_kind} {item.record_key}"
            lines.append(visible(f"  {item.day}  {item.action} · {record} · {item.who}{seen}"))
    return "".join(f"{line}\n" for line in lines)


def markdown(items: list[Item], today: date) -> str:
    """A section and a table per group; empty when there are no items."""
    from kpotui.text import visible

    def escaped(value: str) -> str:
        return visible(value).replace("|", "\\|")

    parts = []
    for name, found in _grouped(items, today).items():
        rows = [
            f"| {item.day} | {escaped(item.action)} | {item.record_kind} "
            f"{escaped(item.record_key)} | {escaped(item.who)} |"
            for item in found
        ]
        table = ["| Date | What to do | Record | Responsible |", "| --- | --- | --- | --- |"]
        parts.append("\n".join([f"## {name}", "", *table, *rows]) + "\n")
    return "\n".join(parts)


def as_json(items: list[Item], today: date) -> str:
    import json

    from kpotui.text import json_visible

    shown = [{**item.as_json(), "group": item.group(today)} for item in items]
    document = {"today": today.isoformat(), "items": shown}
    return json_visible(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"
