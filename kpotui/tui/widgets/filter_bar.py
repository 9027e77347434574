"""A row of compact choices above a table (status, maker, ...) that narrow what it lists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Select


@dataclass(frozen=True)
class Option:
    """One choice: a label and the filter it stands for."""

    value: str
    label: str
    equals: Mapping[str, Any] = field(default_factory=dict)
    """Field -> value (or list of values) the records must have."""
    due_before: date | None = None


@dataclass(frozen=True)
class Choice:
    """A select of options (the first is the starting one)."""

    id: str
    options: Sequence[Option]
    width: int = 22


@dataclass(frozen=True)
class TextChoice:
    """A typed value, e.g. a contract code, applied when enter is pressed."""

    id: str
    field: str
    placeholder: str
    width: int = 18


class FilterBar(Horizontal):
    """The choices; posts :class:`FilterBar.Changed` whenever one changes."""

    class Changed(Message):
        def __init__(self, bar: FilterBar) -> None:
            super().__init__()
            self.bar = bar

        @property
        def control(self) -> FilterBar:
            return self.bar

    def __init__(self, choices: Sequence[Choice | TextChoice], *, id: str | None = None) -> None:
        super().__init__(id=id, classes="filter-bar")
        self.choices = choices

    def compose(self) -> ComposeResult:
        for choice in self.choices:
            if isinstance(choice, Choice):
                select: Select[str] = Select(
                    [(o.label, o.value) for o in choice.options],
                    value=choice.options[0].value,
                    allow_blank=False,
                    compact=True,
                    id=f"choice-{choice.id}",
                )
                select.styles.width = choice.width
                yield select
            else:
                text = Input(placeholder=choice.placeholder, compact=True, id=f"choice-{choice.id}")
                text.styles.width = choice.width
                yield text

    def choose(self, choice_id: str, value: str) -> None:
        """Select option ``value`` of choice ``choice_id`` (or type it into a text choice)."""
        widget = self.query_one(f"#choice-{choice_id}")
        if isinstance(widget, Select):
            widget.value = value
        elif isinstance(widget, Input):
            widget.value = value
            self.post_message(self.Changed(self))

    def chosen(self) -> dict[str, str]:
        """Choice id -> the value chosen or typed."""
        values: dict[str, str] = {}
        for choice in self.choices:
            widget = self.query_one(f"#choice-{choice.id}")
            if isinstance(widget, Select | Input) and isinstance(widget.value, str):
                values[choice.id] = widget.value
        return values

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self))

    @on(Input.Submitted)
    def _text_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Changed(self))

    @on(Input.Changed)
    def _text_cleared(self, event: Input.Changed) -> None:
        event.stop()
        if not event.value.strip():
            self.post_message(self.Changed(self))


def filter_parts(
    choices: Sequence[Choice | TextChoice], chosen: Mapping[str, str] | None = None
) -> tuple[dict[str, Any], date | None]:
    """The ``equals`` and ``due_before`` of a filter from the values chosen (default: the
    first option of every choice, nothing typed)."""
    chosen = chosen or {}
    equals: dict[str, Any] = {}
    due_before: date | None = None
    for choice in choices:
        value = chosen.get(choice.id, "")
        if isinstance(choice, TextChoice):
            if value.strip():
                equals[choice.field] = value.strip()
            continue
        option = next((o for o in choice.options if o.value == value), choice.options[0])
        equals.update(option.equals)
        due_before = option.due_before or due_before
    return equals, due_before
