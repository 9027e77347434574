"""The top line: the eight screens with their keys, the current one marked, and the database."""

from __future__ import annotations

from typing import Protocol, cast

from textual.content import Content
from textual.widgets import Static

from kpotui.text import on_screen
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
        """Draw the tabs: the widest of these that fits: every label in full (with the
        brand, then without); the current one in full and the others short (the same); the
        current one only."""
        current = self.app.current_mode
        keys = cast(HasScreenKeys, self.app).screen_keys
        database = database_of(self)
        right = on_screen(database.label) + (" · read-only" if database.read_only else "")
        brand = Content.styled(" kpotui ", "bold")
        tail = Content.styled(f" {right} ", "italic" if not database.read_only else "bold")

        def tabs_of(names: str) -> Content:
            """``names``: "full" for every label, "short" for the others' short ones,
            "keys" for only the current one's."""
            parts = []
            for screen in MAIN_SCREENS:
                key = keys.get(screen.mode, "")
                if screen.mode == current or names == "full":
                    text = f" {key} {screen.label} "
                elif names == "short":
                    text = f"{key} {screen.short or screen.label}"
                else:
                    text = f" {key} "
                style = "reverse bold" if screen.mode == current else ""
                link = f"@click=app.switch_mode('{screen.mode}')"
                parts.append(Content.from_markup(f"[{style} {link}]$text[/]", text=text))
            return Content(" ").join(parts)

        # the database's name and mode always stay visible, every screen's name if it can
        none = Content("")
        layouts = [(brand, tabs_of("full")), (none, tabs_of("full"))]
        layouts += [(brand, tabs_of("short")), (none, tabs_of("short")), (none, tabs_of("keys"))]
        for start, tabs in layouts:
            if start.cell_length + tabs.cell_length + tail.cell_length + 1 <= self.size.width:
                break
        gap = max(1, self.size.width - start.cell_length - tabs.cell_length - tail.cell_length)
        self.update(Content.assemble(start, tabs, " " * gap, tail))
