"""One field of a record form: a label, an editor chosen by the field's type, and a line
below it that shows the field's help and how to type it, or what is wrong with the value
as it is typed."""

from __future__ import annotations

import asyncio
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Markdown, Select, Static, TextArea

from kpotui.services import listing
from kpotui.services.fields import FieldSpec, FieldType, kind_spec
from kpotui.services.validation import clean_value
from kpotui.text import visible
from kpotui.tui import formatting as fmt
from kpotui.tui.database import AppDatabase
from kpotui.tui.widgets.keys_in_order import OrderedInput, OrderedTextArea

TEXT_HINTS = {
    FieldType.DATE: "YYYY-MM-DD",
    FieldType.LIST: "separate items with ;",
    FieldType.MONEY: "amount, e.g. 12,500.00",
}


class YesNo(Checkbox):
    """A checkbox that says its state in words too ("✓ yes", "  no"), not only in colour."""

    def watch_value(self) -> None:
        self.BUTTON_INNER = "✓" if self.value else " "
        self.label = fmt.yes_no(self.value)
        super().watch_value()


class RefSuggester(Suggester):
    """Completes the natural key of a referenced record (a provider's name...)."""

    def __init__(self, database: AppDatabase, kind: str) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.database = database
        self.kind = kind

    async def get_suggestion(self, value: str) -> str | None:
        return await asyncio.to_thread(self._lookup, value) if value else None

    def _lookup(self, value: str) -> str | None:
        key = kind_spec(self.kind).key[0]
        found = listing.page(
            self.database.store(), self.kind, flt=listing.ListFilter(text=value), sort=key, limit=20
        )
        names = [str(r[key]) for r in found]
        return next((n for n in names if n.casefold().startswith(value.casefold())), None)


def editable_text(spec: FieldSpec, value: Any) -> str:
    """A clean value as the text an editor starts with. A control character stored by an
    older version or another tool shows as its escape (``\\x1b``): saving the field then
    stores that printable text instead."""
    if value is None:
        return ""
    if spec.type is FieldType.LIST:
        return visible("; ".join(value))
    if spec.type is FieldType.FLOAT:
        return f"{value:g}"
    return visible(fmt.value_text(value), multiline=spec.multiline)


class FieldRow(Vertical):
    """Label, editor and message of one field; ``raw()`` is what the services validate."""

    def __init__(self, spec: FieldSpec, value: Any, database: AppDatabase) -> None:
        super().__init__(classes="field-row")
        self.spec = spec
        self.database = database
        self.editor = self._make_editor(value)
        self.error: str | None = None
        self._initial: Any = None

    def _make_editor(self, value: Any) -> Widget:
        spec, ident = self.spec, f"field-{self.spec.name}"
        if spec.type is FieldType.ENUM:
            options = [(choice, choice) for choice in spec.allowed]
            start = value if value in spec.allowed else Select.NULL
            blank = not spec.required or spec.default is None  # no silent first choice
            return Select(options, value=start, allow_blank=blank, compact=True, id=ident)
        if spec.type is FieldType.BOOL:
            return YesNo(fmt.yes_no(bool(value)), bool(value), compact=True, id=ident)
        if spec.multiline:
            area = OrderedTextArea(
                editable_text(spec, value), soft_wrap=True, compact=True, id=ident
            )
            area.add_class("markdown" if spec.markdown else "long-text")
            return area
        suggester = RefSuggester(self.database, spec.ref) if spec.ref else None
        return OrderedInput(editable_text(spec, value), suggester=suggester, compact=True, id=ident)

    def compose(self) -> ComposeResult:
        marker = " *" if self.spec.required else ""
        with Horizontal(classes="field-line"):
            yield Label(fmt.label(self.spec.name) + marker, classes="field-label")
            yield self.editor
        if self.spec.markdown:
            yield Markdown(classes="preview")
        yield Static(self._help(), classes="field-message")

    def on_mount(self) -> None:
        self._initial = self.raw()
        self.query_one(".field-message", Static).display = bool(self._help())
        for preview in self.query(Markdown):
            preview.display = False

    def _help(self) -> str:
        """The line under the editor: the field's help, then how to type it (a hint
        inside the editor would run on from the label)."""
        hint = TEXT_HINTS.get(self.spec.type, "")
        if self.spec.ref:
            noun = kind_spec(self.spec.ref or "").noun
            key = kind_spec(self.spec.ref).key[0]
            hint = f"the {noun}'s {key}; → accepts the completion"
        return "; ".join(part for part in (self.spec.help, hint) if part)

    def raw(self) -> Any:
        """The value as entered: text, a choice (None when blank) or a flag."""
        editor = self.editor
        if isinstance(editor, Select):
            return None if editor.value is Select.NULL else editor.value
        if isinstance(editor, Checkbox):
            return editor.value
        if isinstance(editor, TextArea):
            return editor.text
        assert isinstance(editor, Input)
        return editor.value

    def set_value(self, value: Any) -> None:
        """Show ``value`` (a clean value), e.g. after reloading the record."""
        editor = self.editor
        if isinstance(editor, Select):
            editor.value = value if value in self.spec.allowed else Select.NULL
        elif isinstance(editor, Checkbox):
            editor.value = bool(value)
        elif isinstance(editor, TextArea):
            editor.text = editable_text(self.spec, value)
        elif isinstance(editor, Input):
            editor.value = editable_text(self.spec, value)
        self._initial = self.raw()
        self.show_error(None)

    def show_error(self, message: str | None) -> None:
        """Show what is wrong (None: show the help again)."""
        self.error = message
        line = self.query_one(".field-message", Static)
        line.update(fmt.shown(message or self._help()))  # a message may quote the value
        line.display = bool(message or self._help())
        self.set_class(message is not None, "-invalid")

    def check(self) -> None:
        """Validate the value as it stands, the way the services will."""
        value = self.raw()
        try:
            cleaned = clean_value(self.spec, value)
        except ValueError as exc:
            self.show_error(str(exc))
            return
        missing = cleaned is None or cleaned == []
        self.show_error("required" if self.spec.required and missing else None)

    def toggle_preview(self) -> bool:
        """Show the Markdown of a long text instead of its editor, or back; True if shown."""
        preview = self.query(Markdown)
        if not preview:
            return False
        markdown = preview.first()
        showing = not markdown.display
        if showing:
            markdown.update(self.raw() or "*(empty)*")
        markdown.display = showing
        self.editor.display = not showing
        return showing

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(TextArea.Changed)
    def _edited(self) -> None:
        """Validate once the user has changed something (not on the editor's first value)."""
        if self.is_mounted and (self.error is not None or self.raw() != self._initial):
            self.check()
