"""``init``, ``db path|upgrade|check``, ``config path|get|set``, ``backup``."""

from __future__ import annotations

import click

from kpotui.cli.common import AppContext, UserError, opened_store, pass_app, user_errors
from kpotui.text import visible


@click.command("init")
@pass_app
@user_errors
def init_command(app: AppContext) -> None:
    """Create the database (or bring an existing one up to date)."""
    with opened_store(app, changes=True) as store:
        click.echo(f"database ready: {store.display_name}")


@click.group("db")
def db_group() -> None:
    """Where the database is, upgrading it, checking it."""


@db_group.command("path")
@pass_app
def db_path(app: AppContext) -> None:
    """Print the database this command line would open."""
    from kpotui.store import resolve_target

    click.echo(resolve_target(app.db))


@db_group.command("upgrade")
@pass_app
@user_errors
def db_upgrade(app: AppContext) -> None:
    """Upgrade the schema to this version of kpotui (a backup is taken first), and make
    unique each key index whose case clashes were fixed since."""
    from kpotui.store import keys
    from kpotui.store.migrate import HEAD_REVISION

    with opened_store(app, create=False, changes=True) as store:
        if store.upgraded_from is None:
            click.echo(f"schema already current ({HEAD_REVISION}): {store.display_name}")
        else:
            click.echo(f"upgraded {store.upgraded_from} -> {HEAD_REVISION}: {store.display_name}")
            if store.upgrade_backup:
                click.echo(f"backup of the old database: {store.upgrade_backup}")
        made, waiting = keys.make_unique(store)
        for key in made:
            click.echo(f"{key.table} {keys.plural(key.text)} now unique ignoring case")
        if waiting:
            raise UserError(
                f"{store.display_name}: {waiting} kind(s) hold keys differing only in case;"
                " 'kpotui db check' lists them"
            )


@db_group.command("check")
@pass_app
@user_errors
def db_check(app: AppContext) -> None:
    """Check integrity, references and schema; exit 1 when anything is wrong."""
    from kpotui.store.health import problems

    with opened_store(app, create=False) as store:
        found = problems(store)
        if found:
            for line in found:
                click.echo(f"problem: {visible(line)}", err=True)
            raise UserError(f"{store.display_name}: {len(found)} problem(s) found")
        click.echo(f"healthy: {store.display_name}")


@click.command("backup")
@click.argument("dest", required=False, type=click.Path())
@pass_app
@user_errors
def backup_command(app: AppContext, dest: str | None) -> None:
    """Copy the database consistently, even while others use it (file mode 0600).

    DEST is a file, or a directory (existing, or written with a trailing slash) to put a
    file with a timestamp in; default: next to the database. No directory is created.
    """
    from kpotui.store.backup import backup

    with opened_store(app, create=False) as store:
        click.echo(f"backup written: {backup(store, dest)}")


@click.group("config")
def config_group() -> None:
    """The config file: where it is, reading and writing settings."""


@config_group.command("path")
def config_path() -> None:
    """Print the config file's path."""
    from kpotui.config import config_file

    click.echo(config_file())


def _db_chooser(app: AppContext, configured: object) -> str | None:
    """What chooses the database instead of the config file: ``--db``, ``KPOTUI_DB`` or
    the default (when the file names none); None when the file's value is used."""
    import os

    if app.db:
        return "--db"
    if os.environ.get("KPOTUI_DB"):
        return "KPOTUI_DB"
    return None if configured else "default"


@config_group.command("get")
@click.argument("name")
@pass_app
@user_errors
def config_get(app: AppContext, name: str) -> None:
    """Print a setting's value (its default when unset).

    For db, the database in use: marked (default), (KPOTUI_DB) or (--db) when it is not
    the config file's."""
    from kpotui import config
    from kpotui.tui.names import check_setting

    value = config.get(name)
    chooser = _db_chooser(app, value) if name == "db" else None
    if chooser is not None:
        from kpotui.store import resolve_target

        click.echo(f"{resolve_target(app.db)} ({chooser})")
        return
    try:
        check_setting(name, value if isinstance(value, str) else "")
    except config.ConfigError as exc:
        where = f"{config.config_file()}: " if name == "theme" else ""  # the file's value
        raise UserError(f"{where}{exc}") from None
    if name == "keys":
        for binding_id, keys in sorted(value.items()):
            click.echo(f"{binding_id} = {keys}")
        return
    click.echo("" if value is None else str(value).lower() if isinstance(value, bool) else value)


@config_group.command("set")
@click.argument("name")
@click.argument("value")
@user_errors
def config_set(name: str, value: str) -> None:
    """Set a setting in the config file, keeping its comments.

    For example: 'config set theme nord', 'config set keys.app.dashboard f1'.

    Settings: db, theme, shared_group, allow_network_fs (true or false), currency, and
    keys.<binding id> (the ids are on the app's help screen).
    """
    from kpotui import config
    from kpotui.tui.names import check_setting

    typed: str | bool = value
    if name in config.FLAGS:
        try:
            typed = click.BOOL.convert(value, None, None)
        except click.BadParameter:
            raise UserError(f"{name}: expected true or false, got {value!r}") from None
    else:
        check_setting(name, value)
    path = config.set_value(name, typed)
    click.echo(f"{name} = {value} ({path})")
