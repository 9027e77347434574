"""What every command shares: the context object, opening the store, user-facing errors."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import click

from kpotui.text import visible

if TYPE_CHECKING:
    from kpotui.store import Store

F = TypeVar("F", bound=Callable[..., Any])


class AppContext(NamedTuple):
    """The global options every command sees (a NamedTuple: dataclasses would add an
    import to ``kpotui --help``)."""

    db: str | None
    read_only: bool


class UserError(click.ClickException):
    """A mistake the user can fix: printed as one line, exit status 1, no traceback."""

    def show(self, file: Any = None) -> None:
        click.echo(f"kpotui: {visible(self.format_message())}", err=True)


class KpotuiGroup(click.Group):
    """The top command. When the reader of standard output stops early (``| head -1``),
    the command ends quietly with status 0, as a Unix filter does: no message, and
    nothing more is written (what is still buffered goes to the null device).

    Its options that fill :class:`AppContext` (``--db``, ``--read-only``) are accepted
    after a subcommand too (``kpotui list contracts --db x.db``), given there later."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        global_options(cmd, [p for p in self.params if p.name in AppContext._fields])
        super().add_command(cmd, name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _silence_stdout()
            ctx.exit(0)


def global_options(cmd: click.Command, params: list[click.Parameter]) -> None:
    """Give ``cmd`` (each command of a group) a copy of each of the top command's
    ``params``, which replaces that field of the :class:`AppContext` it sees."""
    if isinstance(cmd, click.Group):
        for sub in cmd.commands.values():
            global_options(sub, params)
        return
    for param in params:
        assert isinstance(param, click.Option)
        cmd.params.append(
            click.Option(
                param.opts,
                is_flag=param.is_flag,
                metavar=param.metavar,
                help=param.help,
                expose_value=False,
                callback=_replace_global,
            )
        )


def _replace_global(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    if value is None or value is False or ctx.obj is None:  # not given after the command
        return
    ctx.obj = ctx.obj._replace(**{param.name or "": value})


def _silence_stdout() -> None:
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test's capture)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def user_errors(func: F) -> F:
    """Turn the refusals of services, store and config into one-line errors, and so the
    database's own: a full disk, a lost server connection, a lock held too long."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sqlalchemy.exc import OperationalError

        from kpotui.config import ConfigError
        from kpotui.services.errors import ServiceError
        from kpotui.store import StoreError

        try:
            return func(*args, **kwargs)
        except BrokenPipeError:
            raise  # the reader stopped early: not a mistake (see KpotuiGroup)
        except (ServiceError, StoreError, ConfigError) as exc:
            raise UserError(str(exc)) from exc
        except OperationalError as exc:  # the transaction was rolled back
            reason = str(exc.orig or exc).strip().splitlines()[0]
            raise UserError(f"the database failed: {reason}; nothing was changed") from exc
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise UserError(f"{where}{exc.strerror or exc}") from exc

    return wrapper  # type: ignore[return-value]


@contextmanager
def opened_store(ctx: AppContext, *, create: bool = True, changes: bool = False) -> Iterator[Store]:
    """The store, closed afterwards. A command that only reads (``changes`` false) opens a
    database this account may not write read-only, and says so once."""
    from kpotui.store import open_store
    from kpotui.target import read_only_reason

    reason = None if changes or ctx.read_only else read_only_reason(ctx.db)
    store = open_store(ctx.db, read_only=ctx.read_only or reason is not None, create=create)
    if reason is not None:
        click.echo(f"kpotui: opened read-only: {visible(reason)}", err=True)
    for warning in store.warnings:
        click.echo(f"kpotui: warning: {visible(warning)}", err=True)
    store.on_wait = say_waiting
    try:
        yield store
    finally:
        store.close()


def say_waiting(waiting: bool) -> None:
    """A write has waited a second for another writer (it gives up at the busy timeout)."""
    if waiting:
        click.echo("kpotui: waiting for another writer…", err=True)


pass_app = click.make_pass_decorator(AppContext)


def run_tui(ctx: AppContext, *, demo: bool = False) -> None:
    """Open the full-screen app (imports Textual only now).

    The app never creates a database: a mistyped ``--db`` would open an empty one and
    leave a stray file behind. When the file is missing this asks, before the app starts,
    whether to create it (default no); without a terminal to ask on, it refuses.
    """
    from kpotui.tui.app import run_app

    if not demo:  # the demo command has just built its database
        create_if_confirmed(ctx)
    code = run_app(ctx.db, read_only=ctx.read_only, demo=demo)
    sys.exit(code)


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def create_if_confirmed(ctx: AppContext) -> None:
    """Create the missing SQLite file the app would open if the user says so, else stop
    with the CLI's one-line refusal. Anything else wrong is left for the app to report."""
    from kpotui.config import ConfigError
    from kpotui.target import no_such_database, resolve_target, sqlite_file

    try:
        path = sqlite_file(resolve_target(ctx.db))
    except (ConfigError, ValueError):
        return
    if path is None or path.exists() or path.is_symlink():
        return
    if ctx.read_only or not stdin_is_terminal():
        raise UserError(no_such_database(path))
    if not click.confirm(f"There is no database at {path}. Create it?", default=False):
        raise UserError(no_such_database(path))
    user_errors(create_database)(AppContext(db=str(path), read_only=False))


def create_database(ctx: AppContext) -> None:
    with opened_store(ctx, changes=True) as store:
        click.echo(f"database ready: {store.display_name}")
