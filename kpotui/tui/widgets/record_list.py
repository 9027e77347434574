"""A table of one kind of record with an incremental filter and a status line."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from kpotui.services.fields import kind_spec
from kpotui.services.listing import DEFAULT_SORT, ListFilter
from kpotui.tui import formatting as fmt
from kpotui.tui.record_sources import RecordSource
from kpotui.tui.widgets.virtual_table import Query, Row, VirtualTable


def nouns(kind: str) -> tuple[str, str]:
    """Singular and plural of a kind as people say it (``task`` is an activity)."""
    spec = kind_spec(kind)
    return spec.noun, spec.nouns


class RecordList(Vertical):
    """Filter with ``/``, sort with ``s`` / ``S`` (the screen binds them), ``enter`` opens."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close_filter", "Clear filter", id="list.clear_filter", show=False),
    ]

    def __init__(self, source: RecordSource, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="record-list")
        self.source = source
        sort, descending = DEFAULT_SORT[source.kind]
        self._first_query = Query(sort=sort, descending=descending)
        self._count: int | None = None
        self._filter_opening = False
        """``/`` was pressed and the filter line has not got the focus yet."""

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter: type words, enter keeps, escape clears", compact=True)
        yield VirtualTable(
            [c.column for c in self.source.columns], self.source, query=self._first_query
        )
        yield Static(classes="list-status")

    @property
    def table(self) -> VirtualTable:
        return self.query_one(VirtualTable)

    @property
    def current_row(self) -> Row | None:
        return self.table.current_row

    def on_mount(self) -> None:
        self.query_one(Input).display = False
        self._show_status()
        # the keys on offer change with the focus (a filter line takes "n" for itself)
        self.watch(self.screen, "focused", self._show_empty, init=False)

    def focus_table(self) -> None:
        self.table.focus()

    def start_filter(self) -> None:
        """Show the filter line and put the cursor in it."""
        field = self.query_one(Input)
        field.display = True
        field.focus()

    def on_key(self, event: events.Key) -> None:
        """Characters typed right after the filter key belong in the filter.

        A terminal delivers a paste, or a fast typist's ``/model`` over SSH, in one read:
        every key bubbles through here before the screen's ``filter`` binding runs and
        long before the focus moves, so without this the table's screen would get ``m``
        (mark) and ``e`` (edit).
        """
        if self._filter_opening:
            if event.is_printable and event.character:
                event.stop()
                event.prevent_default()
                self.query_one(Input).insert_text_at_cursor(event.character)
        elif self._is_filter_key(event.key):
            self._filter_opening = True  # the binding itself still runs and opens the filter

    def _is_filter_key(self, key: str) -> bool:
        active = self.screen.active_bindings.get(key)
        return active is not None and active.enabled and active.binding.action == "filter"

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._filter_opening = False  # from now on keys go where the focus is

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_filter":
            return self.query_one(Input).display  # else escape goes to the screen (back)
        return True

    def action_close_filter(self) -> None:
        field = self.query_one(Input)
        field.value = ""
        field.display = False
        self._filter_opening = False
        self.table.focus()

    @on(Input.Changed)
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        query = self.table.current_query
        self.table.set_query(Query(query.sort, query.descending, event.value))
        self._count = None  # until the table has counted the matches
        self._show_status()

    @on(Input.Submitted)
    def _filter_kept(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value:
            event.input.display = False
        self.table.focus()

    @on(VirtualTable.Loaded)
    def _loaded(self, event: VirtualTable.Loaded) -> None:
        self._count = event.count
        self._show_empty()
        self._show_status()

    def _show_empty(self) -> None:
        empty = self._empty_text() if self._count == 0 else ""
        if empty != self.table.empty_text:
            self.table.empty_text = empty
            self.table.refresh()

    def _empty_text(self) -> str:
        """What an empty table says: that nothing matches, or how to add the first record
        (the key the screen has for it, if it offers one: not on a read-only database)."""
        one, many = nouns(self.source.kind)
        query = self.table.current_query
        if query.filter:
            return f"No {many} match “{query.filter}”."
        new = next(
            (
                active.binding.key_display or self.app.get_key_display(active.binding)
                for active in self.screen.active_bindings.values()
                if active.binding.action == "new" and active.enabled
            ),
            None,
        )
        first = self.source.base == ListFilter()
        said = f"No {many} yet." if first else f"No {many} here."
        if new is None:
            return said
        return f"{said} Press {new} to add {'the first' if first else 'a'} {one}."

    def cycle_sort(self) -> None:
        """Sort by the next sortable column."""
        keys = [c.key for c in self.source.columns if c.sort]
        current = self.table.current_query.sort
        following = keys[(keys.index(current) + 1) % len(keys)] if current in keys else keys[0]
        self.table.sort_by(following)
        self._show_status()

    def reverse_sort(self) -> None:
        """Reverse the order of the current sort."""
        current = self.table.current_query.sort
        keys = [c.key for c in self.source.columns if c.sort]
        self.table.sort_by(current if current in keys else keys[0])
        self._show_status()

    def set_base(self, base: ListFilter) -> None:
        """Narrow the list to ``base`` (the typed filter still applies)."""
        self.source.base = base
        self.table.set_query(self.table.current_query)
        self._count = None
        self._show_status()

    def reload(self) -> None:
        """Fetch again (the data changed), keeping the cursor where it was."""
        self.source.forget_extras()
        self.table.refresh_data()

    def _show_status(self) -> None:
        query = self.table.current_query
        one, many = nouns(self.source.kind)
        if self._count is None:
            counted = f"counting {many}…"
        else:
            counted = f"{self._count:,} {one if self._count == 1 else many}"
        parts = [counted]
        if query.filter:
            parts.append(f"matching “{query.filter}” (escape clears)")
        column = next((c for c in self.source.columns if c.key == query.sort), None)
        if column is not None:
            parts.append(f"sorted by {column.label} {'▼' if query.descending else '▲'}")
        self.query_one(".list-status", Static).update(fmt.shown(" · ".join(parts)))
