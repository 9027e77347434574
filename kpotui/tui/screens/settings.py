"""``,`` from anywhere: the firm settings, the same for everyone on the database.

Each row shows a setting's value, default and description; enter (or ``e``) edits it in
:class:`~kpotui.tui.dialogs.edit_setting.EditSetting`, ``delete`` puts it back to its
default. Validation, versions and the audit trail are the service's
(:mod:`kpotui.services.settings`); this screen only shows and asks.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from kpotui.services import settings
from kpotui.tui.dialogs.edit_setting import EditSetting
from kpotui.tui.messages import RecordsChanged, announce
from kpotui.tui.screens.base import KpoScreen

COLUMNS = (("Setting", 20), ("Value", 8), ("Default", 8), ("What it does", 0), ("Changed", 30))
"""What a setting does comes before who changed it: at 80 columns it is what fits."""


class SettingsScreen(KpoScreen):
    """The firm settings as a table; one dialog edits one."""

    HELP = (
        "Firm settings apply to everyone who opens this database (personal preferences such "
        "as the theme and keys are in your config file). Enter edits the highlighted "
        "setting, delete puts it back to its default; every change is in the audit trail "
        "and u undoes your last one. x opens the exchange rates, in units of the reporting "
        "currency (which cannot change while any rate exists)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="settings.back"),
        Binding("e", "edit", "Edit", id="settings.edit"),
        Binding("delete", "reset", "Reset to default", id="settings.reset"),
        Binding("r", "reload", "Reload", show=False, id="settings.reload"),
        Binding("x", "rates", "Exchange rates", id="settings.rates"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.states: list[settings.SettingState] = []

    def compose_body(self) -> ComposeResult:
        yield Static("Firm settings", classes="detail-title")
        yield DataTable(id="settings", cursor_type="row", zebra_stripes=True)
        yield Static(
            "The same for everyone on this database. Enter edits, delete resets.",
            classes="form-hint",
        )

    def shows(self) -> tuple[str, ...]:
        return (settings.KIND,)

    def refresh_records(self, change: RecordsChanged) -> None:
        self.action_reload()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, key=label, width=width or None)
        self.action_reload()

    def action_rates(self) -> None:
        """The rates are in units of the reporting currency set here."""
        self.app.pop_screen()
        self.app.switch_mode("rates")

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings")
    def action_reload(self) -> None:
        states = settings.list_settings(self.database.store())
        self.app.call_from_thread(self._show, states)

    def _show(self, states: list[settings.SettingState]) -> None:
        self.states = states
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for state in states:
            changed = "never set"
            if state.updated_at is not None:
                verb = "set" if state.is_set else "reset"
                changed = f"{verb} by {state.updated_by} {state.updated_at:%Y-%m-%d %H:%M}"
            what = f"NOT VALID: {state.problem}" if state.problem else state.description
            cells = (state.key, str(state.value), str(state.default), what, changed)
            table.add_row(*cells, key=state.key)
        table.move_cursor(row=min(row, len(states) - 1))

    def _current(self) -> settings.SettingState | None:
        table = self.query_one(DataTable)
        if not self.states or table.cursor_row < 0:
            return None
        return self.states[table.cursor_row]

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        state = self._current()
        if state is None or not self.editable():
            return

        def saved(done: bool | None) -> None:
            if done:
                announce(self, RecordsChanged(frozenset({settings.KIND})))

        self.app.push_screen(EditSetting(state), saved)

    def action_reset(self) -> None:
        state = self._current()
        if state is not None and self.editable():
            self._reset(state)

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings")
    def _reset(self, state: settings.SettingState) -> None:
        stored = settings.reset(self.database.store(), state.key, version=state.version)
        self.app.call_from_thread(self.notify, f"{stored.key} = {stored.value} (default)")
        announce(self, RecordsChanged(frozenset({settings.KIND})))

    def action_back(self) -> None:
        self.app.pop_screen()
