"""Reading what the app shows, for assertions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot

from kpotui.services import writes
from kpotui.store import open_store
from kpotui.tui.widgets.virtual_table import VirtualTable
from tests.tui.conftest import settle


def notices(app: App[Any]) -> list[str]:
    """The messages of every notification raised so far."""
    return [f"{n.title}: {n.message}" for n in app._notifications]


def table(app: App[Any]) -> VirtualTable:
    """The record table of the current screen (the visible one, on a detail screen)."""
    return next(t for t in app.screen.query(VirtualTable) if t.display and t.is_on_screen)


async def column_values(pilot: Pilot[None], column: str) -> list[str]:
    """Every value of ``column`` in the current table, walking the cursor down."""
    shown = table(pilot.app)
    index = [c.key for c in shown.columns].index(column)
    values = []
    await pilot.press("home")
    await settle(pilot)
    for _ in range(shown.row_count):
        row = shown.current_row
        assert row is not None
        values.append(row.cells[index])
        await pilot.press("down")
        await settle(pilot)
    return values


async def move_to(pilot: Pilot[None], column: str, value: str) -> None:
    """Put the cursor on the row whose ``column`` shows ``value``."""
    shown = table(pilot.app)
    index = [c.key for c in shown.columns].index(column)
    await pilot.press("home")
    await settle(pilot)
    for _ in range(shown.row_count):
        row = shown.current_row
        if row is not None and row.cells[index] == value:
            return
        await pilot.press("down")
        await settle(pilot)
    raise AssertionError(f"no row with {column} = {value!r}")


async def focus_field(pilot: Pilot[None], name: str) -> None:
    """Tab through the form until the editor of field ``name`` has the focus."""
    for _ in range(60):
        focused = pilot.app.focused
        if focused is not None and focused.id == f"field-{name}":
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached field {name!r}")


async def type_in(pilot: Pilot[None], name: str, text: str) -> None:
    """Replace what field ``name`` holds by typing ``text`` (in a text area: its last line)."""
    await focus_field(pilot, name)
    await pilot.press("end", "ctrl+u", *text)


async def choose(pilot: Pilot[None], name: str, text: str) -> None:
    """Open the select of field ``name`` and pick the option ``text`` by typing it."""
    await focus_field(pilot, name)
    await pilot.press("enter", *text, "enter")


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
