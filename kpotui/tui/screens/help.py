"""``?``: what the current screen is for and every key it answers to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

KEYMAP_HINT = (
    "Keys can be remapped in the config file (kpotui config path): a [keys] table maps a "
    'binding id to keys, e.g. "app.contracts" = "f2" or, from the shell, '
    "kpotui config set keys.app.contracts f2."
)


class HelpScreen(ModalScreen[None]):
    """Keys as (key, what it does, binding id), the screen's own help above them; all
    plain text, never markup (the ``[`` and ``]`` keys, a ``[keys]`` table)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close"),
    ]

    def __init__(self, title: str, text: str, keys: Sequence[tuple[str, str, str]]) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.text = text
        self.keys = keys

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Static(f"Help: {self.title_text}", classes="dialog-title")
            with VerticalScroll():
                if self.text:
                    yield Static(Text(self.text), classes="dialog-text")
                yield Static(self._table())
                yield Static(Text(KEYMAP_HINT), classes="form-hint")
        yield Footer()

    def _table(self) -> Table:
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
        table.add_column("Key", style="bold", no_wrap=True)
        table.add_column("Does")
        table.add_column("Binding id", style="dim", no_wrap=True)
        for key, description, binding_id in self.keys:
            table.add_row(Text(key), Text(description), Text(binding_id))  # "[" is a key
        return table

    def action_close(self) -> None:
        self.dismiss(None)
