"""Choose one person from a list (or everyone): the agenda's filter by responsible person."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kpotui.tui import formatting as fmt

EVERYONE = "everyone"


class PickPerson(ModalScreen[str | None]):
    """Returns the name chosen, ``""`` for everyone, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="pick.cancel"),
    ]

    def __init__(self, people: Sequence[str], current: str | None) -> None:
        super().__init__(classes="dialog-screen")
        self.people = list(people)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Responsible person", classes="dialog-title")
            options = [Option(EVERYONE, id="")]
            options += [Option(fmt.shown(name), id=f"person:{name}") for name in self.people]
            yield OptionList(*options, id="people")
            yield Static(
                fmt.shown("Enter chooses, escape leaves it as it is."), classes="form-hint"
            )

    def on_mount(self) -> None:
        listed = self.query_one(OptionList)
        if self.current in self.people:
            listed.highlighted = self.people.index(self.current) + 1
        else:
            listed.highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss((event.option.id or "").removeprefix("person:"))

    def action_cancel(self) -> None:
        self.dismiss(None)
