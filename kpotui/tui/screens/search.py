"""``g`` / ``ctrl+f``: search every kind of record at once, the words found highlighted."""

from __future__ import annotations

from collections.abc import Collection
from itertools import groupby
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from kpotui.services.fields import kind_spec
from kpotui.services.find_records import SEARCHED, Found, find_records
from kpotui.tui import formatting as fmt
from kpotui.tui.found import found_line, highlighted
from kpotui.tui.messages import OpenRecord, RecordsChanged
from kpotui.tui.screens.base import KpoScreen

PER_KIND = 8


def _option(found: Found, query: str) -> Option:
    line = found_line(found, query)
    if found.snippet:
        line.append("\n    ")
        line.append_text(highlighted(found.snippet, query, style="dim"))
    return Option(line, id=f"{found.kind}:{found.id}")


class SearchScreen(KpoScreen):
    """An input and, kind by kind, the records matching it; enter opens one."""

    HELP = (
        "Type a name, a code or words: the providers, contracts, activities, deliverables, "
        "notes (their text too) and decisions that match, a few of each kind, the words "
        "found highlighted. Down or enter moves to the results; enter opens one."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="search.back"),
        Binding("down", "results", "Results", show=False, id="search.results"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Input(
            placeholder="search every record: names, codes, titles, note text",
            compact=True,
            id="search-query",
        )
        yield OptionList(id="search-results")
        yield Static("type to search", classes="list-status")

    @property
    def query_text(self) -> str:
        return self.query_one("#search-query", Input).value

    def shows(self) -> Collection[str]:
        return [how.kind for how in SEARCHED]

    def refresh_records(self, change: RecordsChanged) -> None:
        self._search(self.query_text)

    @on(Input.Changed, "#search-query")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _search(self, query: str) -> None:
        found = find_records(self.database.store(), query, limit=PER_KIND) if query else []
        self.app.call_from_thread(self._show, query, found)

    def _show(self, query: str, found: list[Found]) -> None:
        if query != self.query_text:
            return  # typed on since: a newer search follows
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        for kind, records in groupby(found, key=lambda f: f.kind):
            heading = Text(kind_spec(kind).nouns.capitalize(), style="bold underline")
            results.add_option(Option(heading, disabled=True))
            results.add_options([_option(record, query) for record in records])
        if found:
            counted = f"{len(found)} found (at most {PER_KIND} of each kind)"
        else:
            counted = "nothing found" if query.strip() else "type to search"
        self.query_one(".list-status", Static).update(fmt.shown(counted))

    def action_results(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.option_count:
            results.focus()
            if results.highlighted is None:
                results.action_first()

    @on(Input.Submitted, "#search-query")
    def _submitted(self) -> None:
        self.action_results()

    @on(OptionList.OptionSelected, "#search-results")
    def _open(self, event: OptionList.OptionSelected) -> None:
        kind, record_id = (event.option.id or "").split(":")
        self.post_message(OpenRecord(kind, int(record_id)))

    def action_back(self) -> None:
        self.app.pop_screen()
