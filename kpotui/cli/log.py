"""``kpotui log``: who changed what across the firm, newest first (the audit trail)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import click

from kpotui.cli.common import AppContext, UserError, opened_store, pass_app, user_errors
from kpotui.cli.options import DATE_FORMS, DAY, format_option

UNITS = {"d": 1, "w": 7}
"""Relative ``--since``: days per unit."""


class Since(click.ParamType):
    """``7d``, ``2w`` (days or weeks before now) or a day in any form the other date
    options take (``yesterday``, ``-30d``, ``2026-11-01``: its local midnight): an aware
    datetime."""

    name = "since"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, datetime):
            return value
        relative = re.fullmatch(r"(\d+)\s*([dw])", str(value).strip().lower())
        if relative:
            days = int(relative[1]) * UNITS[relative[2]]
            return datetime.now(UTC) - timedelta(days=days)
        try:
            day = DAY.convert(value, param, ctx)
        except UserError:
            raise UserError(
                f"--since: {str(value)[:40]!r} is neither an age like 7d or 2w nor a date"
                f" ({DATE_FORMS})"
            ) from None
        return day.astimezone()


@click.command("log")
@click.option("--since", type=Since(), metavar="7d|2w|DATE", help="Only events since then.")
@click.option("--actor", metavar="NAME", help="Only changes made by this account.")
@click.option(
    "--kind",
    metavar="KIND",
    help="Only this kind of record, singular or plural (activities are tasks; settings).",
)
@click.option("--record", "key", metavar="KEY", help="Only events naming this record's key.")
@format_option("text", "json", default="text", help="json: a list of events, all values whole.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Events at most."
)
@pass_app
@user_errors
def log_command(
    app: AppContext,
    since: datetime | None,
    actor: str | None,
    kind: str | None,
    key: str | None,
    fmt: str,
    limit: int,
) -> None:
    """Who changed what, across every record (deleted ones included), newest first.

    One line per event: when (local time), who, what, the kind, the record's key and the
    fields changed (old → new, long values shortened).
    """
    from kpotui.services import audit, change_log

    flt = audit.LogFilter(
        since=since,
        actor=actor,
        kind=change_log.event_kind(kind) if kind is not None else None,
        key=key,
    )
    with opened_store(app, create=False) as store:
        events = audit.recent(store, flt=flt, limit=limit)
    if fmt == "json":
        click.echo(events_json(events))
    else:
        for event in events:
            click.echo(event_line(event))


def event_line(event: dict[str, Any]) -> str:
    """One event as one terminal-safe line."""
    from kpotui.services import change_log
    from kpotui.text import visible

    when = change_log.event_time(event).astimezone().strftime("%Y-%m-%d %H:%M")
    key = change_log.shortened(visible(event["key"]))
    parts = [when, visible(event["actor"]), event["action"], change_log.noun(event["kind"]), key]
    changes = change_log.changes_text(event["changes"])
    return "  ".join([*parts, changes] if changes else parts)


def events_json(events: list[dict[str, Any]]) -> str:
    """The events as a JSON list; times in UTC, ISO 8601."""
    import json

    from kpotui.services import change_log
    from kpotui.text import json_visible

    shown = [
        {**event, "at": change_log.event_time(event).isoformat().replace("+00:00", "Z")}
        for event in events
    ]
    return json_visible(json.dumps(shown, ensure_ascii=False, indent=2))
