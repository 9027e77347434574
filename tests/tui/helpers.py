"""Reading what the app shows, for assertions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, TextArea

from kpotui.services import writes
from kpotui.store import open_store
from kpotui.tui.widgets.virtual_table import Row, VirtualTable
from tests.tui.conftest import RAISED, settle


def notices(app: App[Any]) -> list[str]:
    """The messages of every notification raised so far, shown or timed out."""
    raised = vars(app._notifications).get(RAISED, list(app._notifications))
    return [f"{n.title}: {n.message}" for n in raised]


def showing(app: App[Any]) -> list[str]:
    """The messages of the notifications on screen now (not those timed out or removed)."""
    return [f"{n.title}: {n.message}" for n in list(app._notifications)]


def table(app: App[Any]) -> VirtualTable:
    """The record table of the current screen (the visible one, on a detail screen)."""
    return next(t for t in app.screen.query(VirtualTable) if t.display and t.is_on_screen)


async def _current_row(pilot: Pilot[None], shown: VirtualTable) -> Row:
    """The row under the cursor, waiting for its page only when it is not loaded yet."""
    row = shown.current_row
    if row is None:
        await settle(pilot)
        row = shown.current_row
    assert row is not None
    return row


async def _walk(pilot: Pilot[None], shown: VirtualTable) -> AsyncIterator[Row]:
    """Each row from the top, the cursor on it, moved by the table's own down action (what
    the down key runs) rather than one key press and settle a row."""
    shown.action_cursor_home()
    for _ in range(shown.row_count):
        yield await _current_row(pilot, shown)
        shown.action_cursor_down()


async def column_values(pilot: Pilot[None], column: str) -> list[str]:
    """Every value of ``column`` in the current table, walking the cursor down."""
    shown = table(pilot.app)
    index = [c.key for c in shown.columns].index(column)
    values = [row.cells[index] async for row in _walk(pilot, shown)]
    await settle(pilot)
    return values


async def move_to(pilot: Pilot[None], column: str, value: str) -> None:
    """Put the cursor on the row whose ``column`` shows ``value``."""
    shown = table(pilot.app)
    index = [c.key for c in shown.columns].index(column)
    async for row in _walk(pilot, shown):
        if row.cells[index] == value:
            await settle(pilot)
            assert shown.current_row == row
            return
    raise AssertionError(f"no row with {column} = {value!r}")


async def focus_field(pilot: Pilot[None], name: str) -> None:
    """Tab through the form until the editor of field ``name`` has the focus."""
    for _ in range(60):
        focused = pilot.app.focused
        if focused is not None and focused.id == f"field-{name}":
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached field {name!r}")


def editor(pilot: Pilot[None], name: str) -> Widget:
    """The editor of field ``name`` on the current screen."""
    return pilot.app.screen.query_one(f"#field-{name}")


async def type_in(pilot: Pilot[None], name: str, text: str) -> None:
    """Replace what field ``name`` holds by ``text``.

    The editor gets the focus and its text is set directly, which posts the same
    ``Changed`` message typing does; :func:`type_keys` really types, one key at a time.
    """
    field = editor(pilot, name)
    field.focus()
    if isinstance(field, TextArea):
        field.replace(text, (0, 0), field.document.end)
    else:
        assert isinstance(field, Input), f"field {name!r} is not typed into"
        field.value = text
        field.cursor_position = len(text)
    await pilot.pause()


async def type_keys(pilot: Pilot[None], name: str, text: str) -> None:
    """Tab to field ``name``, clear its line and type ``text`` key by key."""
    await focus_field(pilot, name)
    await pilot.press("end", "ctrl+u", *text)


async def choose(pilot: Pilot[None], name: str, text: str) -> None:
    """Open the select of field ``name`` and pick the option ``text`` by typing it."""
    editor(pilot, name).focus()
    await pilot.press("enter", *text, "enter")


async def filter_by(pilot: Pilot[None], text: str) -> None:
    """Open the list's filter line with ``/`` and set it to ``text``, as typing would."""
    await pilot.press("slash")
    field = pilot.app.focused
    assert isinstance(field, Input), "/ did not open the filter line"
    field.value = text
    await pilot.pause()


def screen_text(app: App[Any]) -> str:
    """What the screen shows, as the text of an SVG screenshot (words stay whole)."""
    return app.export_screenshot().replace("&#160;", " ")


def add_provider(db: Path, name: str) -> None:
    """Store a provider without contracts before the app starts."""
    store = open_store(str(db))
    try:
        writes.create(store, "provider", {"name": name, "country": "India"})
    finally:
        store.close()


async def show_provider(pilot: Pilot[None], name: str) -> None:
    """Go to the providers screen and put the cursor on ``name``."""
    await pilot.press("6")
    await settle(pilot)
    await move_to(pilot, "name", name)
