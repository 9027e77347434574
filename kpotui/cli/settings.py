"""``kpotui setting list|get|set|reset``: the firm's settings, kept in the database."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from kpotui.cli.common import AppContext, opened_store, pass_app, user_errors

if TYPE_CHECKING:
    from kpotui.services.settings import SettingState

FORMAT = click.option(
    "--format",
    "shape",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)


def _changed(state: SettingState) -> str:
    if state.updated_at is None:
        return "never set"
    verb = "set" if state.is_set else "reset"
    return f"{verb} by {state.updated_by} at {state.updated_at:%Y-%m-%d %H:%M} UTC"


@click.group("setting")
def setting_group() -> None:
    """Firm settings: the same for everyone on the database, every change audited.

    Personal preferences (theme, keys, which database) are in the config file instead
    (kpotui config).
    """


@setting_group.command("list")
@FORMAT
@pass_app
@user_errors
def setting_list(app: AppContext, shape: str) -> None:
    """Every firm setting with its value, default, and who changed it when."""
    from kpotui.services import settings

    with opened_store(app, create=False) as store:
        states = settings.list_settings(store)
    if shape == "json":
        click.echo(json.dumps([s.as_json() for s in states], indent=2))
        return
    width = max(len(s.key) for s in states)
    for s in states:
        value = str(s.value) + ("" if s.is_set else " (default)")
        click.echo(f"{s.key:<{width}}  {value:<16}  {s.description}")
        details = f"default {s.default}; {_changed(s)}"
        if s.problem:
            details += f"; NOT VALID: {s.problem}"
        click.echo(f"{'':<{width}}  {details}")


@setting_group.command("get")
@click.argument("key")
@FORMAT
@pass_app
@user_errors
def setting_get(app: AppContext, key: str, shape: str) -> None:
    """Print a firm setting's value (its default when it was never set)."""
    from kpotui.services import settings

    settings.lookup(key)
    with opened_store(app, create=False) as store:
        state = settings.load(store)[key]
    if shape == "json":
        click.echo(json.dumps(state.as_json(), indent=2))
        return
    click.echo(str(settings.value_of(state)))


@setting_group.command("set")
@click.argument("key")
@click.argument("value")
@click.option(
    "--expect-version",
    type=int,
    metavar="N",
    help="Refuse when the setting's version is no longer N (as read with list or get).",
)
@pass_app
@user_errors
def setting_set(app: AppContext, key: str, value: str, expect_version: int | None) -> None:
    """Set a firm setting for everyone, audited.

    For example: 'setting set currency USD'.
    """
    from kpotui.services import settings

    settings.parse(key, value)  # a bad key or value is refused before the database is opened
    with opened_store(app, create=False, changes=True) as store:
        state = settings.set_value(store, key, value, version=expect_version)
    click.echo(f"{key} = {state.value}")


@setting_group.command("reset")
@click.argument("key")
@pass_app
@user_errors
def setting_reset(app: AppContext, key: str) -> None:
    """Put a firm setting back to its default, audited."""
    from kpotui.services import settings

    settings.lookup(key)
    with opened_store(app, create=False, changes=True) as store:
        state = settings.reset(store, key)
    click.echo(f"{key} = {state.value} (default)")
