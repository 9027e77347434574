"""``kpotui undo``: revert your own last change (see :mod:`kpotui.services.undo`)."""

from __future__ import annotations

import sys

import click

from kpotui.cli.common import AppContext, UserError, opened_store, pass_app, user_errors
from kpotui.text import visible


@click.command("undo")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@pass_app
@user_errors
def undo_command(app: AppContext, yes: bool) -> None:
    """Revert your last change (or your last import, as a whole) as a new audited change.

    Run it again to undo your change before that. Refused when someone else has changed
    the same record since. Asks for confirmation in a terminal; scripts pass --yes.
    """
    from kpotui.services.undo import preview_undo, undo_last

    with opened_store(app, create=False, changes=True) as store:
        plan = preview_undo(store)
        if not yes:
            if not sys.stdin.isatty():
                raise UserError(f"would undo {plan.description}; pass --yes to confirm")
            click.confirm(f"Undo {visible(plan.description)}?", abort=True, err=True)
        click.echo(f"undone: {visible(undo_last(store, expected=plan))}")
