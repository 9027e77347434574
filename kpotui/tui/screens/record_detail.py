"""One record on a screen of its own: its fields, the records that belong to it, its history.

Deliverables, activities, notes, providers and decisions open here; contracts open in
:mod:`kpotui.tui.screens.contract_detail`, which adds to it. ``e``, ``delete`` and ``m``
act on the record itself on the overview, and on the highlighted row in a list tab.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Markdown, Static, TabbedContent, TabPane

from kpotui.services import history, listing, record_facts, records
from kpotui.services.clock import today
from kpotui.services.errors import NotFoundError
from kpotui.services.fields import FieldType, KindSpec, kind_spec, referencing
from kpotui.services.records import Record
from kpotui.text import visible
from kpotui.tui import formatting as fmt
from kpotui.tui.columns import drawn_from
from kpotui.tui.fact_lines import Lines, fact_lines
from kpotui.tui.messages import OpenRecord, RecordsChanged
from kpotui.tui.record_sources import RecordSource
from kpotui.tui.screens.editing import EditingScreen
from kpotui.tui.widgets.record_list import RecordList, nouns
from kpotui.tui.widgets.virtual_table import VirtualTable


@dataclass(frozen=True)
class Related:
    """A tab listing the records of ``kind`` whose ``field`` names this record."""

    label: str
    kind: str
    field: str


def related_tabs(kind: str) -> list[Related]:
    """One tab per kind of record that references ``kind``, as the fields define them."""
    return [Related(other.nouns.capitalize(), other.name, f.name) for other, f in referencing(kind)]


class RecordDetailScreen(EditingScreen):
    """Tabs: overview, one per kind of related record, history."""

    HELP = (
        "One record: its fields on the overview, the records that belong to it in the next "
        "tabs, and its audit trail (who changed what, when) under History. [ and ] switch "
        "tabs. e, delete and m act on the record, or on the highlighted row of a list tab."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="detail.back", show=False),
        Binding("e", "edit", "Edit", id="detail.edit"),
        Binding("delete", "delete", "Delete", id="detail.delete"),
        Binding("n", "new", "New", id="detail.new"),
        Binding("m", "mark", "Mark", id="detail.mark"),
        Binding(
            "left_square_bracket", "tab(-1)", "Previous tab", id="detail.previous_tab", show=False
        ),
        Binding("right_square_bracket", "tab(1)", "Next tab", id="detail.next_tab"),
        Binding("slash", "filter", "Filter", show=False, id="detail.filter"),
        Binding("r", "reload", "Reload", show=False, id="detail.reload"),
    ]

    def __init__(
        self, kind: str, record_id: int | None = None, key: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__()
        self.spec: KindSpec = kind_spec(kind)
        self.record_id = record_id
        self.key = dict(key or {})
        self.record: Record | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(f"{nouns(self.spec.name)[0].capitalize()} …", classes="detail-title")
        with TabbedContent(id="tabs"):
            with TabPane("Overview", id="tab-overview"), VerticalScroll():
                yield Static(id="overview")
                if self.spec.name == "note":
                    yield Markdown(id="note-body")
            for related in related_tabs(self.spec.name):
                with TabPane(related.label, id=f"tab-{related.kind}"):
                    yield Vertical(classes="related")
            with TabPane("History", id="tab-history"), VerticalScroll():
                yield Static(id="history")

    def on_mount(self) -> None:
        self._load_record()

    @work(thread=True, exclusive=True, exit_on_error=False, group="detail")
    def _load_record(self) -> None:
        store = self.database.store()
        if self.record_id is not None:
            try:
                record = records.get(store, self.spec.name, self.record_id)
            except NotFoundError:  # deleted since it was opened: by an undo, or by someone
                self.app.call_from_thread(self._gone)
                return
        else:
            found = records.find(store, self.spec.name, self.key)
            if found is None:
                raise NotFoundError(
                    f"no {self.spec.name} {fmt.listed(map(str, self.key.values()))}"
                )
            record = found
        events = history.record_history(store, self.spec.name, record["id"])
        facts = fact_lines(record_facts.facts_of(store, self.spec.name, record), today())
        self.app.call_from_thread(self._show, record, events, facts)

    def _gone(self) -> None:
        """Close this screen: its record no longer exists."""
        shown = self.query_one(".detail-title", Static).render()
        self.app.notify(f"{shown} no longer exists", title="Closed", severity="warning")
        if self.is_current:
            self.app.pop_screen()

    def _show(self, record: Record, history: list[dict[str, Any]], facts: Lines) -> None:
        self.record, self.record_id = record, record["id"]
        key = records.key_text(self.spec, record)
        self.query_one(".detail-title", Static).update(
            fmt.shown(f"{nouns(self.spec.name)[0].capitalize()} {key}{self.subtitle(record)}")
        )
        gap = [("", Text())] if facts else []
        self.query_one("#overview", Static).update(
            self.overview(self.fact_rows(facts) + gap + self.field_rows(record))
        )
        if self.spec.name == "note":
            self.query_one("#note-body", Markdown).update(visible(record["body"], multiline=True))
        self.query_one("#history", Static).update(history_table(history))
        for related in related_tabs(self.spec.name):
            self._show_related(related, record)

    def subtitle(self, record: Record) -> str:
        """Text after the key in the title line."""
        title = record.get("title") if "title" not in self.spec.key else None
        return f" · {title}" if title else ""

    @staticmethod
    def overview(rows: list[tuple[str, Text]]) -> Table:
        """Label and value, one line each (long values wrap)."""
        table = Table.grid(padding=(0, 2))
        table.add_column(style="dim", no_wrap=True)
        table.add_column()
        for name, text in rows:
            table.add_row(name, text)
        return table

    @staticmethod
    def fact_rows(facts: Lines) -> list[tuple[str, Text]]:
        """What the fields imply, as overview rows (a fact may name a provider)."""
        return [(label, fmt.rich_text(text)) for label, text in facts]

    def field_rows(self, record: Record) -> list[tuple[str, Text]]:
        """Every field but a note's body (rendered below), money with its currency."""
        rows = []
        for field in self.spec.fields:
            if field.name == "body" and self.spec.name == "note":
                continue
            value = record[field.name]
            text = fmt.value_text(value)
            if field.type is FieldType.MONEY and value is not None and "currency" in record:
                text = fmt.money(value, record["currency"])
            rows.append(
                (fmt.label(field.name), fmt.rich_text(text or fmt.NONE, multiline=field.multiline))
            )
        rows.append(("Version", Text(f"{record['version']}")))
        return rows

    def _show_related(self, related: Related, record: Record) -> None:
        parent_key = record[self.spec.key[0]]
        base = listing.ListFilter(equals={related.field: parent_key})
        container = self.query_one(f"#tab-{related.kind} .related", Vertical)
        existing = container.query(RecordList)
        if existing:
            existing.first().set_base(base)
            return
        source = RecordSource(self.database, related.kind, base=base, hide=related.field)
        container.mount(RecordList(source))

    def _active_list(self) -> RecordList | None:
        pane = self.query_one(TabbedContent).active_pane
        found = pane.query(RecordList) if pane is not None else None
        return found.first() if found else None

    def _target(self) -> tuple[str, int] | None:
        """The record ``e`` / ``delete`` / ``m`` act on: the highlighted row, or this one."""
        listed = self._active_list()
        if listed is not None:
            row = listed.current_row
            if row is None:
                self.notify("Nothing selected", severity="warning")
                return None
            return listed.source.kind, row.id
        return (self.spec.name, self.record["id"]) if self.record else None

    @on(TabbedContent.TabActivated)
    def _tab_shown(self) -> None:
        listed = self._active_list()
        if listed is not None:
            listed.focus_table()
        self.refresh_bindings()

    @on(VirtualTable.RowSelected)
    def _open(self, event: VirtualTable.RowSelected) -> None:
        listed = self._active_list()
        if listed is not None:
            self.post_message(OpenRecord(listed.source.kind, event.row.id))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        listed = self._active_list() if self.is_mounted else None
        if action == "new":
            return listed is not None
        if action == "filter":
            return listed is not None
        if action == "mark":
            kind = listed.source.kind if listed is not None else self.spec.name
            return kind == "deliverable"
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        panes = [pane.id for pane in tabs.query(TabPane) if pane.id]
        current = panes.index(tabs.active) if tabs.active in panes else 0
        tabs.active = panes[(current + step) % len(panes)]

    def action_edit(self) -> None:
        target = self._target()
        if target is not None:
            self.edit_record(*target)

    def action_delete(self) -> None:
        target = self._target()
        if target is not None:
            self.delete_record(*target)

    def action_mark(self) -> None:
        target = self._target()
        if target is not None:
            self.mark_deliverable(target[1])

    def action_new(self) -> None:
        listed = self._active_list()
        if listed is not None and self.record is not None:
            related = next(r for r in related_tabs(self.spec.name) if r.kind == listed.source.kind)
            self.new_record(related.kind, {related.field: self.record[self.spec.key[0]]})

    def action_filter(self) -> None:
        listed = self._active_list()
        if listed is not None:
            listed.start_filter()

    def action_reload(self) -> None:
        self.refresh_records(RecordsChanged())

    def shows(self) -> Collection[str]:
        """Its record's table row, what its facts read, and its tabs' tables."""
        kinds = set(drawn_from(self.spec.name)) | record_facts.reads(self.spec.name)
        for related in related_tabs(self.spec.name):
            kinds |= drawn_from(related.kind)
        return kinds

    def refresh_records(self, change: RecordsChanged) -> None:
        if (self.spec.name, self.record_id) in change.deleted:
            if self.is_current:
                self.app.pop_screen()  # its deletion was just announced: no need to say more
            else:
                self.defer(change)  # behind a dialog: closed once the dialog is
            return
        self._load_record()
        for listed in self.query(RecordList):
            listed.reload()


def history_table(events: list[dict[str, Any]]) -> Table:
    """The audit trail of one record, newest first: when, who, what changed."""
    table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
    table.add_column("When (UTC)", no_wrap=True, style="dim")
    table.add_column("Who", no_wrap=True)
    table.add_column("What")
    for event in reversed(events):
        at = event["at"]
        when = (at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)).strftime(
            "%Y-%m-%d %H:%M"
        )
        table.add_row(when, fmt.rich_text(event["actor"]), fmt.rich_text(describe_changes(event)))
    if not events:
        table.add_row("", "", "no recorded changes")
    return table


def describe_changes(event: Mapping[str, Any]) -> str:
    """``created``, ``deleted``, or ``status: planned → accepted; quality score: — → 4``."""
    if event["action"] == "create":
        return "created"
    if event["action"] == "delete":
        return "deleted"
    parts = []
    for name, (old, new) in event["changes"].items():
        before = fmt.one_line(fmt.value_text(old), 40) or fmt.NONE
        after = fmt.one_line(fmt.value_text(new), 40) or fmt.NONE
        parts.append(f"{fmt.label(name)}: {before} → {after}")
    return "; ".join(parts)
