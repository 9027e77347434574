"""The top line: the eight screens with their keys, the current one marked, and the database."""

from __future__ import annotations

from typing import Protocol, cast

from textual.content import Content
from textual.widgets import Static

from kpotui.text import visible
from kpotui.tui.database import database_of
from kpotui.tui.screens import MAIN_SCREENS


class HasScreenKeys(Protocol):
    screen_keys: dict[str, str]
    """Mode -> the key that switches to it (after any remapping in the config file)."""


class NavBar(Static):
    """Where you are and where one key takes you (click works too)."""

    def on_mount(self) -> None:
        self.update_content()

    def on_resize(self) -> None:
        self.update_content()

    def update_content(self) -> None:
        """Draw the tabs: all labelled when they fit, else only the current one."""
        current = self.app.current_mode
        keys = cast(HasScreenKeys, self.app).screen_keys
        database = database_of(self)
        right = visible(database.label) + (" · read-only" if database.read_only else "")
        brand = Content.styled(" kpotui ", "bold")
        tail = Content.styled(f" {right} ", "italic" if not database.read_only else "bold")

        def tabs_of(wide: bool) -> Content:
            parts = []
            for screen in MAIN_SCREENS:
                key = keys.get(screen.mode, "")
                shown = wide or screen.mode == current
                text = f" {key} {screen.label} " if shown else f" {key} "
                style = "reverse bold" if screen.mode == current else ""
                link = f"@click=app.switch_mode('{screen.mode}')"
                parts.append(Content.from_markup(f"[{style} {link}]$text[/]", text=text))
            return Content(" ").join(parts)

        tabs = tabs_of(wide=True)
        if brand.cell_length + tabs.cell_length + tail.cell_length + 1 > self.size.width:
            if tabs.cell_length + tail.cell_length + 1 <= self.size.width:
                brand = Content("")  # the screens' names matter more than the app's
            else:
                tabs = tabs_of(wide=False)  # the database's name and mode always stay visible
        gap = max(1, self.size.width - brand.cell_length - tabs.cell_length - tail.cell_length)
        self.update(Content.assemble(brand, tabs, " " * gap, tail))
