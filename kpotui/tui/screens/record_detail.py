"""One record on a screen of its own: its fields, the records that belong to it, its history.

Deliverables, activities, notes, providers and decisions open here; contracts open in
:mod:`kpotui.tui.screens.contract_detail`, which adds to it. ``e``, ``delete`` and ``m``
act on the record itself on the overview, and on the highlighted row in a list tab.

Every reference of the record is a link (:func:`link_bindings`): ``enter`` on it in the
overview, its capital letter anywhere on the screen, or the command palette opens the record
it names on a screen pushed over this one; ``escape`` or ``backspace`` comes back.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC
from functools import partial
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Markdown, Static, TabbedContent, TabPane

from kpotui.services import history, listing, record_facts, records
from kpotui.services.clock import today
from kpotui.services.errors import NotFoundError
from kpotui.services.fields import KINDS, FieldType, KindSpec, kind_spec, referencing
from kpotui.services.records import Record
from kpotui.text import visible
from kpotui.tui import formatting as fmt
from kpotui.tui.columns import drawn_from
from kpotui.tui.fact_lines import Lines, fact_lines
from kpotui.tui.messages import OpenRecord, RecordsChanged
from kpotui.tui.record_sources import RecordSource
from kpotui.tui.screens.editing import EditingScreen
from kpotui.tui.widgets.overview import Link, Overview
from kpotui.tui.widgets.overview import Row as OverviewRow
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


def link_bindings() -> list[Binding]:
    """One key per reference field of any kind (``contract``, ``task``, ``provider``): the
    capital initial of what it names, ``C`` for its contract. A screen offers those of its
    own kind (:meth:`RecordDetailScreen.check_action`)."""
    targets = {f.name: kind_spec(f.ref or "").noun for spec in KINDS.values() for f in spec.refs}
    return [
        Binding(
            noun[0].upper(),
            f"follow('{name}')",
            f"Open its {noun}",
            id=f"detail.link_{name}",
            show=False,
        )
        for name, noun in targets.items()
    ]


class RecordDetailScreen(EditingScreen):
    """Tabs: overview, one per kind of related record, history."""

    HELP = (
        "One record: its fields on the overview, the records that belong to it in the next "
        "tabs, and its audit trail (who changed what, when) under History. [ and ] switch "
        "tabs. e, delete and m act on the record, or on the highlighted row of a list tab. "
        "Each reference (its contract, activity, provider) is a link: enter on it in the "
        "overview (up and down pick one), or the capital letter shown after it (C, A, P), "
        "opens that record; backspace or escape comes back, one screen at a time."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "back", "Back", id="detail.back", show=False),
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
        *link_bindings(),
        Binding("x", "impact", "Impact", id="detail.impact"),
    ]
    AUTO_FOCUS = "#overview"

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
                yield Overview(id="overview")
                if self.spec.name == "note":
                    yield Markdown(id="note-body")
            for related in related_tabs(self.spec.name):
                with TabPane(related.label, id=f"tab-{related.kind}"):
                    yield Vertical(classes="related")
            yield from self.compose_extra_tabs()
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
        gap = [("", Text(), None)] if facts else []
        self.query_one(Overview).show(self.fact_rows(facts) + gap + self.field_rows(record))
        if self.spec.name == "note":
            self.query_one("#note-body", Markdown).update(visible(record["body"], multiline=True))
        self.query_one("#history", Static).update(history_table(history))
        for related in related_tabs(self.spec.name):
            self._show_related(related, record)
        self.show_extra(record)

    def compose_extra_tabs(self) -> ComposeResult:
        """Tabs a kind adds before History (a contract's Exit tab)."""
        yield from ()

    def show_extra(self, record: Record) -> None:
        """Fill the extra tabs for ``record`` (just loaded)."""

    def subtitle(self, record: Record) -> str:
        """Text after the key in the title line."""
        title = record.get("title") if "title" not in self.spec.key else None
        return f" · {title}" if title else ""

    @staticmethod
    def fact_rows(facts: Lines) -> list[OverviewRow]:
        """What the fields imply, as overview rows (a fact may name a provider)."""
        return [(label, fmt.rich_text(text), None) for label, text in facts]

    def field_rows(self, record: Record) -> list[OverviewRow]:
        """Every field but a note's body (rendered below), money with its currency, each
        reference a link."""
        rows: list[OverviewRow] = []
        for field in self.spec.fields:
            if field.name == "body" and self.spec.name == "note":
                continue
            value = record[field.name]
            text = fmt.value_text(value)
            if field.type is FieldType.MONEY and value is not None and "currency" in record:
                text = fmt.money(value, record["currency"])
            link = self._link(field.name, value) if field.type is FieldType.REF else None
            shown = fmt.rich_text(text or fmt.NONE, multiline=field.multiline)
            rows.append((fmt.label(field.name), shown, link))
        rows.append(("Version", Text(f"{record['version']}"), None))
        return rows

    def _link(self, name: str, value: Any) -> Link | None:
        """The link of reference field ``name`` holding ``value`` (None when empty)."""
        if value is None:
            return None
        keys = [
            self.app.get_key_display(active.binding)
            for active in self.active_bindings.values()
            if active.binding.action == f"follow('{name}')"
        ]
        return Link(name, self.spec.field(name).ref or "", str(value), keys[0] if keys else "")

    def links(self) -> list[Link]:
        """The references of the record shown that name a record."""
        return self.query_one(Overview).links if self.record is not None else []

    def link_commands(self) -> Iterator[SystemCommand]:
        """The links in the command palette: ``Open its contract HX-001``."""
        for link in self.links():
            yield SystemCommand(
                f"Open its {kind_spec(link.kind).noun} {visible(link.key)}",
                f"key {link.hint}" if link.hint else "",
                partial(self.follow, link),
            )

    def follow(self, link: Link) -> None:
        """Open the record ``link`` names over this screen."""
        self.post_message(OpenRecord(link.kind, key={kind_spec(link.kind).key[0]: link.key}))

    @on(Overview.Followed)
    def _followed(self, event: Overview.Followed) -> None:
        self.follow(event.link)

    def action_follow(self, name: str) -> None:
        link = next((link for link in self.links() if link.field == name), None)
        if link is not None:
            self.follow(link)

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
        elif self.query_one(TabbedContent).active == "tab-overview":
            self.query_one(Overview).focus()
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
        if action == "follow":
            field = self.spec.by_name.get(str(parameters[0]))
            if field is None or field.type is not FieldType.REF:
                return False  # this kind has no such reference
            return self.record is None or self.record[field.name] is not None or None
        if action == "impact":
            return self.spec.name == "provider"
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

    def action_impact(self) -> None:
        """What breaks if this provider goes."""
        from kpotui.tui.screens.impact import ImpactScreen

        if self.record is not None:
            self.app.push_screen(ImpactScreen(self.record["id"]))

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
