"""The ``kpotui`` command: a thin click shell over the services.

Only click is imported at start-up; each command imports what it needs when it runs, so
``kpotui --help`` stays fast (no SQLAlchemy, no Textual).
"""

from __future__ import annotations

import click

from kpotui.cli.agenda import agenda_command
from kpotui.cli.common import AppContext, KpotuiGroup
from kpotui.cli.data import export_command, import_command, list_command, report_command
from kpotui.cli.db import backup_command, config_group, db_group, init_command
from kpotui.cli.demo import demo_command
from kpotui.cli.log import log_command
from kpotui.cli.records import add_command, delete_command, set_command, show_command
from kpotui.cli.settings import setting_group
from kpotui.cli.undo import undo_command


@click.group(
    cls=KpotuiGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    "db",
    metavar="PATH|URL",
    help="Database file or SQLAlchemy URL (default: KPOTUI_DB, the config file, then "
    "kpotui.db in your data directory).",
)
@click.option("--read-only", is_flag=True, help="Open the database for viewing only.")
@click.version_option(package_name="kpotui")
@click.pass_context
def main(ctx: click.Context, db: str | None, read_only: bool) -> None:
    """Keep your Knowledge Process Outsourcing under control.

    Without a command, opens the full-screen app on your database.
    """
    ctx.obj = AppContext(db=db, read_only=read_only)
    if ctx.invoked_subcommand is None:
        from kpotui.cli.common import run_tui

        run_tui(ctx.obj)


main.add_command(init_command)
main.add_command(db_group)
main.add_command(config_group)
main.add_command(setting_group)
main.add_command(backup_command)
main.add_command(undo_command)
main.add_command(log_command)
main.add_command(import_command)
main.add_command(export_command)
main.add_command(list_command)
main.add_command(report_command)
main.add_command(demo_command)
main.add_command(show_command)
main.add_command(add_command)
main.add_command(set_command)
main.add_command(delete_command)
main.add_command(agenda_command)
