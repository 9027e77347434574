"""Someone else saved the record first: show their version next to yours, let the user choose."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from rich.table import Table
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from kpotui.services.fields import KindSpec
from kpotui.tui import formatting as fmt
from kpotui.tui.widgets.field_row import editable_text


class ConflictDialog(ModalScreen[str | None]):
    """Returns ``"reload"`` (take theirs), ``"overwrite"`` (save mine over theirs), or None
    (back to the form, nothing saved)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('reload')", "Reload theirs", id="conflict.reload"),
        Binding("o", "choose('overwrite')", "Overwrite with mine", id="conflict.overwrite"),
        Binding("escape", "choose('')", "Back to my edits", id="conflict.back"),
    ]

    def __init__(self, spec: KindSpec, mine: Mapping[str, Any], theirs: Mapping[str, Any]) -> None:
        super().__init__(classes="dialog-screen")
        self.spec = spec
        self.mine = mine
        self.theirs = theirs

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog conflict"):
            yield Static("Someone else changed this record", classes="dialog-title")
            yield Static(
                f"It was saved by someone else (now version {self.theirs['version']}) after you "
                "opened it. Nothing of yours was saved.",
                classes="dialog-text",
            )
            with VerticalScroll(classes="conflict-table"):
                yield Static(self._table())
            with Horizontal(classes="dialog-buttons"):
                yield Button("Reload theirs (r)", variant="primary", id="reload")
                yield Button("Overwrite with mine (o)", variant="warning", id="overwrite")
                yield Button("Back (esc)", id="back")

    def _table(self) -> Table:
        table = Table(expand=True, box=None, show_edge=False, pad_edge=False)
        table.add_column("Field", style="dim", no_wrap=True)
        table.add_column("Yours")
        table.add_column("Theirs (saved)")
        for name, value in self.mine.items():
            spec = self.spec.field(name)
            theirs = editable_text(spec, self.theirs.get(name))
            mine = value if isinstance(value, str) else fmt.value_text(value)
            table.add_row(
                fmt.label(name),
                fmt.rich_text(fmt.one_line(mine, 80)),
                fmt.rich_text(fmt.one_line(theirs, 80)),
            )
        return table

    def on_mount(self) -> None:
        self.query_one("#reload", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_choose("" if event.button.id == "back" else str(event.button.id))

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)
