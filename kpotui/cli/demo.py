"""``kpotui demo``: the sample firm in a database of its own, dates moved to today."""

from __future__ import annotations

import click

from kpotui.cli.common import AppContext, UserError, pass_app, run_tui, user_errors


@click.command("demo")
@click.option(
    "--no-open", is_flag=True, help="Only build or refresh the demo database and print its path."
)
@pass_app
@user_errors
def demo_command(app: AppContext, no_open: bool) -> None:
    """Build or refresh the demo database and open the app on it.

    The demo lives apart from your own database (--db chooses another file, which must
    be a demo database or not exist yet). Every run rebuilds it from the sample firm with
    its dates moved so that the sample's reference date is today.
    """
    from pathlib import Path

    from kpotui.interchange.demo import build_demo
    from kpotui.paths import demo_db_path
    from kpotui.services.clock import today
    from kpotui.target import is_url

    if app.db and is_url(app.db):
        raise UserError("the demo database is a SQLite file: give --db a path, not a URL")
    target = Path(app.db) if app.db else demo_db_path()
    build_demo(target, today())
    path = target.expanduser().resolve()
    if no_open:
        click.echo(path)
        return
    run_tui(AppContext(db=str(path), read_only=app.read_only), demo=True)
