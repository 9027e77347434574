"""The Textual app: eight screens (modes) one key away, help, commands, themes, keymap.

Start-up imports Textual and this package's light modules only: the database is opened by
a worker after the first frame, and each screen's module is imported when first shown.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import Notification, Notify, SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.signal import Signal
from textual.timer import Timer
from textual.worker import Worker

from kpotui.text import visible, visible_lines
from kpotui.tui import hangup
from kpotui.tui.database import AppDatabase
from kpotui.tui.dialogs.confirm import ConfirmDialog
from kpotui.tui.feedback import describe, report_worker_failure
from kpotui.tui.messages import ChangesAnnounced, OpenRecord, RecordsChanged, ShowList, announce
from kpotui.tui.screens import MAIN_SCREENS, MODE_OF_KIND, RATES_SCREEN, MainScreen

if TYPE_CHECKING:  # the watcher's module imports the services: not at start-up
    from textual.command import Provider

    from kpotui.tui.watch import Watcher

WAITING = "waiting for another writer…"
WAIT_SHOWN_FOR = 60.0
"""Seconds at most; the notice goes as soon as the wait ends (the store gives up at 30 s)."""
CHECK_SECONDS = 2.0
"""How often the app looks for other sessions' changes (:mod:`kpotui.tui.watch`)."""


def help_order(binding_id: str) -> int:
    """Where a key goes on the help screen: the screen's own keys first, then the table's,
    the app's, and Textual's (no id) last."""
    if not binding_id:
        return 3
    return {"table": 1, "app": 2}.get(binding_id.split(".")[0], 0)


@runtime_checkable
class HoldsChanges(Protocol):
    """A screen (a form) that can hold changes not saved yet."""

    def has_unsaved_changes(self) -> bool: ...


@runtime_checkable
class OffersLinks(Protocol):
    """A record's screen: its links, each a palette command naming the record it opens."""

    def link_commands(self) -> Iterable[SystemCommand]: ...


def _lazy(screen: MainScreen) -> Callable[[], Screen[Any]]:
    """A factory that imports the screen's module only when the screen is first shown."""

    def make() -> Screen[Any]:
        module = importlib.import_module(f"kpotui.tui.screens.{screen.module}")
        created: Screen[Any] = getattr(module, screen.class_name)()
        return created

    return make


def _records_provider() -> type[Provider]:
    """The palette's record search, imported when the palette first opens."""
    from kpotui.tui.record_commands import RecordsProvider

    return RecordsProvider


class KpoApp(App[None]):
    """kpotui's full-screen app over one :class:`AppDatabase`."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "kpotui"
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        screen.mode: _lazy(screen) for screen in (*MAIN_SCREENS, RATES_SCREEN)
    }
    DEFAULT_MODE = "dashboard"
    COMMANDS = App.COMMANDS | {_records_provider}
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(
                s.key,
                f"switch_mode('{s.mode}')",
                "Screens" if s.mode == "dashboard" else s.label,
                id=f"app.{s.mode}",
                show=s.mode == "dashboard",
                key_display="1-8" if s.mode == "dashboard" else None,
            )
            for s in MAIN_SCREENS
        ),
        Binding("u", "undo", "Undo your last change", id="app.undo", show=False),
        Binding("comma", "settings", "Firm settings", id="app.settings", show=False),
        Binding("c", "changes", "Changes across the firm", id="app.changes", show=False),
        Binding("g,ctrl+f", "search", "Search all records", id="app.search", show=False),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit", show=False),
        Binding("tab", "focus_next", "Next field", id="app.focus_next", show=False, priority=True),
        Binding(
            "shift+tab",
            "focus_previous",
            "Previous field",
            id="app.focus_previous",
            show=False,
            priority=True,
        ),
    ]
    """The footer shows the eight screen keys as one ``1-8``; the top bar names each. ``u``,
    ``,`` and ``c`` stay off the footer (no room at 80 columns): help and the palette list them.

    Tab and shift+tab are priority keys of the app, so the focus moves as the app reads
    them: a paste, or keys typed fast over SSH, arrive in one burst, and the keys after a
    tab must go to the field it moves to. As the screen's own binding, tab would wait its
    turn in the focused field's queue behind the keys already handed to that field."""

    def __init__(
        self,
        database: AppDatabase,
        *,
        theme: str | None = None,
        keymap: Mapping[str, str] | None = None,
        check_every: float | None = CHECK_SECONDS,
    ) -> None:
        """``check_every``: seconds between looks for other sessions' changes (None: never;
        :meth:`check_for_changes` still looks when called)."""
        super().__init__()
        self.database = database
        database.on_warning = self._warn
        database.on_wait = self._writer_waits
        self._wait_notices: list[Notification] = []
        self._start_theme = theme
        self._start_keymap = dict(keymap or {})
        self.screen_keys = {
            s.mode: self._start_keymap.get(f"app.{s.mode}", s.key).split(",")[0].strip()
            for s in MAIN_SCREENS
        }
        """Mode -> the key that switches to it, for the top bar."""
        self._asking_to_quit = False
        self.records_changed: Signal[RecordsChanged] = Signal(self, "records_changed")
        """Published with every :class:`RecordsChanged`; the screens subscribe to it."""
        self._check_every = check_every
        self._check_timer: Timer | None = None
        self._checking = False
        self._watcher: Watcher | None = None
        """Made by the first check."""

    def on_mount(self) -> None:
        if self._start_theme in self.available_themes:
            self.theme = self._start_theme
        elif self._start_theme:
            self.notify(
                f"unknown theme {self._start_theme!r} in the config file", severity="warning"
            )
        if self._start_keymap:
            self.set_keymap(self._start_keymap)
        if self._check_every:  # the first check waits a whole interval: no cost to start-up
            self._check_timer = self.set_interval(self._check_every, self.check_for_changes)
        terminal = hangup.terminal_of()
        if terminal is not None and not self.is_headless:
            self.set_interval(hangup.CHECK_SECONDS, partial(self._leave_if_hung_up, terminal))

    def _leave_if_hung_up(self, terminal: int) -> None:
        """Exit once the terminal has gone (see :mod:`kpotui.tui.hangup`): nobody can
        answer a question any more, and a form's input cannot reach anyone."""
        if hangup.hung_up(terminal):
            self.exit(return_code=1)

    def check_for_changes(self) -> None:
        """Look for other sessions' changes in a worker, unless a look is under way or the
        database is not open yet."""
        if self.database.is_open and not self._checking:
            self._checking = True
            self._check()

    @work(thread=True, exit_on_error=False, group="watch")
    def _check(self) -> None:
        from kpotui.tui.watch import Watcher

        try:
            self._watcher = self._watcher or Watcher(self.database)
            noticed = self._watcher.check()
        except Exception as exc:  # a database gone or broken: say so once, look no more
            if self.is_running:  # not the database closed by quitting
                self.call_from_thread(self._stop_checking, exc)
            return
        finally:
            self._checking = False
        if noticed is not None:
            announce(self, noticed.change)
            if noticed.notice is not None:
                self.call_from_thread(self.notify, noticed.notice, title="Changed elsewhere")

    def _stop_checking(self, error: Exception) -> None:
        if self._check_timer is not None:
            self._check_timer.stop()
        message = f"others' changes are no longer shown: {describe(error)}"
        self.notify(message, title="Not refreshing", severity="warning", timeout=15)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification as plain text, whatever ``markup`` says: a name or a value
        quoted in it is never read as markup, and its control characters show as escapes."""
        super().notify(
            visible_lines(message),
            title=visible(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def _warn(self, message: str) -> None:
        """A warning about the database, e.g. a file others can read (from any thread)."""
        self.notify(message, title="Warning", severity="warning", timeout=15)

    def _writer_waits(self, waiting: bool) -> None:
        """A save waits for another writer's lock (told from another thread)."""
        self.call_from_thread(self._show_wait, waiting)

    def _show_wait(self, waiting: bool) -> None:
        """Say so while a save waits; its result (saved, or busy) follows the wait."""
        if waiting:
            notice = Notification(WAITING, "Saving", timeout=WAIT_SHOWN_FOR)
            self._wait_notices.append(notice)
            self.post_message(Notify(notice))
        elif self._wait_notices:
            # queued behind the Notify above, so that even a short wait leaves no notice
            self.call_later(self._unnotify, self._wait_notices.pop(0))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_worker_failure(self, event)

    def on_unmount(self) -> None:
        self.database.close()

    def watch_theme(self, theme: str) -> None:
        """Remember a theme chosen from the command palette in the config file."""
        from kpotui import config

        try:
            if config.get("theme") != theme:
                config.set_value("theme", theme)
        except (config.ConfigError, OSError) as exc:
            self.notify(f"theme not saved: {exc}", severity="warning")

    def on_changes_announced(self, message: ChangesAnnounced) -> None:
        self.records_changed.publish(message.change)

    def on_open_record(self, message: OpenRecord) -> None:
        if message.kind == "contract":
            from kpotui.tui.screens.contract_detail import ContractDetailScreen

            self.push_screen(ContractDetailScreen(message.record_id, message.key))
        elif message.kind == "provider":
            from kpotui.tui.screens.provider_detail import ProviderDetailScreen

            self.push_screen(ProviderDetailScreen(message.record_id, message.key))
        else:
            from kpotui.tui.screens.record_detail import RecordDetailScreen

            self.push_screen(RecordDetailScreen(message.kind, message.record_id, message.key))

    async def on_show_list(self, message: ShowList) -> None:
        from kpotui.tui.screens.list_screen import ListScreen

        await self.switch_mode(MODE_OF_KIND[message.kind])
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        if isinstance(self.screen, ListScreen):
            self.screen.choose(message.choices)

    def action_help(self) -> None:
        from kpotui.tui.screens.help import HelpScreen

        screen = self.screen
        labels = {f"switch_mode('{s.mode}')": s.label for s in MAIN_SCREENS}
        keys = []
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if binding.action in labels:
                keys.append((key, f"Go to {labels[binding.action]}", binding.id or ""))
            elif binding.description and not binding.system:
                keys.append((self.get_key_display(binding), binding.description, binding.id or ""))
        keys.sort(key=lambda row: help_order(row[2]))
        label = next((s.label for s in MAIN_SCREENS if s.mode == self.current_mode), "")
        titles = screen.query(".detail-title")
        title = str(titles.first().render()) if titles else label
        self.push_screen(HelpScreen(title, getattr(screen, "HELP", ""), keys))

    async def action_quit(self) -> None:
        """Quit (``q``, ``ctrl+q``, the palette), asking first while any open form, on any
        screen, holds changes not saved yet."""
        if not any(self._unsaved_forms()):
            self.exit()
            return
        if self._asking_to_quit:
            return  # the question is on screen already

        def answered(quit_anyway: bool | None) -> None:
            self._asking_to_quit = False
            if quit_anyway:
                self.exit()

        self._asking_to_quit = True
        question = "A form holds changes not saved yet.\nQuit and lose them?"
        self.push_screen(ConfirmDialog("Quit", question, yes="Quit"), answered)

    def _unsaved_forms(self) -> Iterator[Screen[Any]]:
        """Open forms with changes, on the stacks of every screen (mode): a form stays open
        under another dialog, or when a digit switched screens from one of its selects."""
        for stack in self._screen_stacks.values():
            for screen in stack:
                if isinstance(screen, HoldsChanges) and screen.has_unsaved_changes():
                    yield screen

    def action_undo(self) -> None:
        from kpotui.tui.undo import start_undo

        start_undo(self)

    def action_settings(self) -> None:
        from kpotui.tui.screens.settings import SettingsScreen

        if not isinstance(self.screen, ModalScreen | SettingsScreen):
            self.push_screen(SettingsScreen())

    def action_changes(self) -> None:
        from kpotui.tui.screens.changes import ChangesScreen

        if not isinstance(self.screen, ModalScreen | ChangesScreen):
            self.push_screen(ChangesScreen())

    def action_search(self) -> None:
        from kpotui.tui.screens.search import SearchScreen

        if not isinstance(self.screen, ModalScreen | SearchScreen):
            self.push_screen(SearchScreen())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's commands (theme, keys, quit...), every screen, and every key of this one."""
        yield from super().get_system_commands(screen)
        for main in MAIN_SCREENS:
            yield SystemCommand(
                f"Go to {main.label}", f"screen {main.key}", partial(self.switch_mode, main.mode)
            )
        yield SystemCommand(
            f"Go to {RATES_SCREEN.label}",
            "the dated rates that convert totals to the reporting currency",
            partial(self.switch_mode, RATES_SCREEN.mode),
        )
        if isinstance(screen, OffersLinks):
            yield from screen.link_commands()
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.id or binding.action.startswith(("switch_mode", "follow(")):
                continue  # Textual's own keys; the screens and links are offered above
            if binding.description and binding.description not in seen:
                seen.add(binding.description)
                yield SystemCommand(
                    binding.description,
                    f"key {self.get_key_display(binding)}",
                    partial(self.run_action, binding.action, active.node),
                )


def build_app(db: str | None, *, read_only: bool, demo: bool) -> KpoApp:
    """The app for ``db`` (the demo database for ``demo``) with the theme and keys of the
    config file; raises ConfigError when the config file is wrong."""
    from kpotui import config, paths
    from kpotui.tui.names import theme_names

    settings = config.current()
    try:
        config.check_known("theme", settings.theme, theme_names(), "theme")
    except config.ConfigError as exc:
        raise config.ConfigError(f"{config.config_file()}: {exc}") from None
    if demo and db is None:
        db = str(paths.demo_db_path())
    return KpoApp(AppDatabase(db, read_only=read_only), theme=settings.theme, keymap=settings.keys)


def run_app(db: str | None, *, read_only: bool, demo: bool) -> int:
    """Run the app until the user quits; returns the exit status (1: could not start)."""
    from kpotui.config import ConfigError

    try:
        app = build_app(db, read_only=read_only, demo=demo)
    except ConfigError as exc:
        print(f"kpotui: config: {exc}", file=sys.stderr)
        return 1
    app.run()
    if app.database.open_error is not None:
        print(f"kpotui: {visible(str(app.database.open_error))}", file=sys.stderr)
    return app.return_code or 0
