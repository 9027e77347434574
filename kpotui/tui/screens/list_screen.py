"""The base of the list screens: a filter bar, a record table, and the editing keys."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from kpotui.services.listing import ListFilter
from kpotui.tui.columns import drawn_from
from kpotui.tui.messages import OpenRecord, RecordsChanged
from kpotui.tui.record_sources import RecordSource
from kpotui.tui.screens.editing import EditingScreen
from kpotui.tui.widgets.filter_bar import Choice, FilterBar, TextChoice, filter_parts
from kpotui.tui.widgets.record_list import RecordList
from kpotui.tui.widgets.virtual_table import VirtualTable


class ListScreen(EditingScreen):
    """Every record of :attr:`KIND`, narrowed by the filter bar and the typed filter."""

    KIND: ClassVar[str]
    FILTERS: ClassVar[Sequence[Choice | TextChoice]] = ()
    """The filter bar's choices (``filters()`` may compute them instead)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", id="list.filter"),
        Binding("s", "sort", "Sort", id="list.sort"),
        Binding("S", "reverse_sort", "Reverse sort", show=False, id="list.reverse_sort"),
        Binding("n", "new", "New", id="list.new"),
        Binding("e", "edit", "Edit", id="list.edit"),
        Binding("delete", "delete", "Delete", id="list.delete"),
        Binding("r", "reload", "Reload", show=False, id="list.reload"),
        Binding("escape", "back", "Back", show=False, id="list.back"),
    ]

    def filters(self) -> Sequence[Choice | TextChoice]:
        return self.FILTERS

    def compose_body(self) -> ComposeResult:
        choices = self.filters()
        if choices:
            yield FilterBar(choices)
        yield from self.compose_extra()
        equals, due_before = filter_parts(choices)
        base = ListFilter(equals=equals, due_before=due_before)
        yield RecordList(RecordSource(self.database, self.KIND, base=base), id="records")

    def compose_extra(self) -> ComposeResult:
        """Anything shown between the filter bar and the table."""
        yield from ()

    @property
    def records(self) -> RecordList:
        return self.query_one("#records", RecordList)

    def on_mount(self) -> None:
        self.records.focus_table()

    def shows(self) -> Collection[str]:
        return drawn_from(self.KIND)

    def refresh_records(self, change: RecordsChanged) -> None:
        self.records.reload()

    def choose(self, choices: Mapping[str, str]) -> None:
        """Make filter-bar choices (from the dashboard, say)."""
        bar = self.query_one(FilterBar)
        for choice_id, value in choices.items():
            bar.choose(choice_id, value)

    @on(FilterBar.Changed)
    def _apply_filters(self, event: FilterBar.Changed) -> None:
        equals, due_before = filter_parts(event.bar.choices, event.bar.chosen())
        self.records.set_base(ListFilter(equals=equals, due_before=due_before))

    @on(VirtualTable.RowSelected)
    def _open(self, event: VirtualTable.RowSelected) -> None:
        self.post_message(OpenRecord(self.KIND, event.row.id))

    def _current_id(self) -> int | None:
        row = self.records.current_row
        if row is None:
            self.notify("Nothing selected", severity="warning")
        return row.id if row is not None else None

    def action_filter(self) -> None:
        self.records.start_filter()

    def action_sort(self) -> None:
        self.records.cycle_sort()

    def action_reverse_sort(self) -> None:
        self.records.reverse_sort()

    def action_new(self) -> None:
        self.new_record(self.KIND)

    def action_edit(self) -> None:
        record_id = self._current_id()
        if record_id is not None:
            self.edit_record(self.KIND, record_id)

    def action_delete(self) -> None:
        record_id = self._current_id()
        if record_id is not None:
            self.delete_record(self.KIND, record_id)

    def action_reload(self) -> None:
        self.records.reload()

    def action_back(self) -> None:
        self.app.switch_mode("dashboard")
