"""``show``, ``add``, ``set``, ``delete``: one record at a time, from a script.

A record is named by its key as the app shows it (``HX-001 / Q-report, overdue``), any
case; values are ``field=value`` text as the file format takes it, ``field=`` clears.
The work is done by :mod:`kpotui.services.edits`, through the app's one write path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from kpotui.cli.common import AppContext, opened_store, pass_app, user_errors
from kpotui.cli.options import KindChoice, format_option
from kpotui.text import visible

if TYPE_CHECKING:
    from kpotui.services.edits import RecordView


EPILOG = (
    "KIND: providers, contracts, deliverables, tasks (or activities), notes, decisions, "
    "rates; singular or plural. KEY: the record's key as the app shows it, any case: a "
    "name, code or title; CONTRACT / TITLE for a deliverable, CONTRACT / DATE / SUMMARY "
    "for a decision, CURRENCY / DATE for a rate."
)
"""What every command here says of KIND and KEY (in ``--help``)."""


def _kind_and_key(func: Any) -> Any:
    func = click.argument("key", metavar="KEY")(func)
    return click.argument("kind", type=KindChoice(), metavar="KIND")(func)


def _if_version(func: Any) -> Any:
    return click.option(
        "--if-version",
        type=click.IntRange(min=1),
        metavar="N",
        help="Refuse if the record is no longer at version N (saying who changed it).",
    )(func)


@click.command("show", epilog=EPILOG)
@_kind_and_key
@format_option("text", "json", default="text", help="json: every value whole, times in UTC.")
@click.option(
    "--history",
    "limit",
    type=click.IntRange(min=0),
    metavar="N",
    default=10,
    show_default=True,
    help="Audit events shown at most, newest first.",
)
@pass_app
@user_errors
def show_command(app: AppContext, kind: str, key: str, fmt: str, limit: int) -> None:
    """Show one record: its fields, version, what refers to it and its history."""
    from kpotui.services import edits

    with opened_store(app, create=False) as store:
        shown = edits.view(store, kind, key, history=limit)
    click.echo(_json(shown) if fmt == "json" else _text(shown))


@click.command("add", epilog=EPILOG)
@click.argument("kind", type=KindChoice(), metavar="KIND")
@click.argument("values", nargs=-1, metavar="FIELD=VALUE...")
@pass_app
@user_errors
def add_command(app: AppContext, kind: str, values: tuple[str, ...]) -> None:
    """Create one record of KIND and print its key.

    Values are written as in a CSV file of the format (docs/format.md): value=12,500.00,
    tags=a;b, auto_renew=yes; references by name or code (provider=Meridian).
    """
    from kpotui.services import edits
    from kpotui.services.fields import kind_spec
    from kpotui.services.records import key_text

    spec = kind_spec(kind)
    given = edits.assignments(spec, values)
    with opened_store(app, create=False, changes=True) as store:
        record = edits.create(store, spec.name, given)
    click.echo(visible(key_text(spec, record)))


@click.command("set", epilog=EPILOG)
@_kind_and_key
@click.argument("values", nargs=-1, required=True, metavar="FIELD=VALUE...")
@_if_version
@pass_app
@user_errors
def set_command(
    app: AppContext, kind: str, key: str, values: tuple[str, ...], if_version: int | None
) -> None:
    """Change fields of one record and print its key; FIELD= (empty) clears a field.

    Checked as the app's form checks it, and audited; 'kpotui undo' reverts it.
    """
    from kpotui.services import edits
    from kpotui.services.fields import kind_spec
    from kpotui.services.records import key_text

    spec = kind_spec(kind)
    given = edits.assignments(spec, values)
    with opened_store(app, create=False, changes=True) as store:
        record = edits.update(store, spec.name, key, given, if_version=if_version)
    click.echo(visible(key_text(spec, record)))


@click.command("delete", epilog=EPILOG)
@_kind_and_key
@_if_version
@pass_app
@user_errors
def delete_command(app: AppContext, kind: str, key: str, if_version: int | None) -> None:
    """Delete one record; refused, naming them, while other records refer to it.

    The audit trail keeps what it held; 'kpotui undo' restores it.
    """
    from kpotui.services import edits
    from kpotui.services.fields import kind_spec
    from kpotui.services.records import key_text

    spec = kind_spec(kind)
    with opened_store(app, create=False, changes=True) as store:
        record = edits.delete(store, spec.name, key, if_version=if_version)
    click.echo(f"deleted {spec.noun} {visible(key_text(spec, record))}")


# -- showing ------------------------------------------------------------------------------------


def _value(value: Any) -> str:
    """A clean value as the file format writes it: set takes it back as it is."""
    from kpotui.services.records import json_safe

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return str(json_safe(value))


def _text(shown: RecordView) -> str:
    from kpotui.services import change_log
    from kpotui.services.records import key_text

    spec, record = shown.spec, shown.record
    fields = [*spec.fields, *spec.derived]
    width = max(len(f.name) for f in fields)
    lines = [f"{spec.noun} {visible(key_text(spec, record))}  (version {record['version']})"]
    for f in fields:
        text = visible(_value(record[f.name]), multiline=f.multiline)
        indented = text.replace("\n", "\n" + " " * (width + 4))
        lines.append(f"  {f.name:<{width}}  {indented}".rstrip())
    referenced = "; ".join(shown.referenced_by) or "nothing"
    lines.append(f"referenced by: {visible(referenced)}")
    lines.append(f"history ({len(shown.history)} of {shown.events} events, newest first):")
    for event in shown.history:
        when = change_log.event_time(event).astimezone().strftime("%Y-%m-%d %H:%M")
        changes = change_log.changes_text(event["changes"])
        parts = [when, visible(event["actor"]), event["action"], changes]
        lines.append("  " + "  ".join(part for part in parts if part))
    return "\n".join(lines)


def _json(shown: RecordView) -> str:
    import json

    from kpotui.services import change_log
    from kpotui.services.records import json_safe, key_text
    from kpotui.text import json_visible

    def utc(event: dict[str, Any]) -> str:
        return change_log.event_time(event).isoformat().replace("+00:00", "Z")

    spec, record = shown.spec, shown.record
    data = {
        "kind": spec.name,
        "key": key_text(spec, record),
        "id": record["id"],
        "version": record["version"],
        "created_at": utc({"at": record["created_at"]}),
        "updated_at": utc({"at": record["updated_at"]}),
        "fields": {f.name: json_safe(record[f.name]) for f in spec.fields},
        "derived": {f.name: json_safe(record[f.name]) for f in spec.derived},
        "referenced_by": shown.referenced_by,
        "events": shown.events,
        "history": [
            {
                "at": utc(event),
                "actor": event["actor"],
                "action": event["action"],
                "changes": event["changes"],
            }
            for event in shown.history
        ],
    }
    return json_visible(json.dumps(data, ensure_ascii=False, indent=2))
