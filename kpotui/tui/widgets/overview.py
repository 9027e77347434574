"""A record's overview: label and value a line each, its references links to follow.

Up and down move between the links (when there are several), ``enter`` follows the
highlighted one; the screen turns :class:`Overview.Followed` into opening the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


@dataclass(frozen=True)
class Link:
    """A reference of the record shown: its ``field`` names the ``kind`` record ``key``."""

    field: str
    kind: str
    key: str
    hint: str = ""
    """The key that follows it from anywhere on the screen, shown after the value."""


Row = tuple[str, Text, Link | None]


class Overview(Widget, can_focus=True):
    """Rows of (label, value, link or None); the links can be followed."""

    DEFAULT_CSS = """
    Overview { height: auto; }
    Overview > .overview--link { text-style: underline; }
    Overview:focus > .overview--cursor { text-style: reverse underline; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"overview--link", "overview--cursor"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "follow", "Open link", id="overview.follow"),
        Binding("down", "move(1)", "Next link", show=False, id="overview.next_link"),
        Binding("up", "move(-1)", "Previous link", show=False, id="overview.previous_link"),
    ]

    cursor: reactive[int] = reactive(0)
    """Which link is highlighted (an index into :attr:`links`)."""

    class Followed(Message):
        """``enter`` on a link."""

        def __init__(self, link: Link) -> None:
            super().__init__()
            self.link = link

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []

    @property
    def links(self) -> list[Link]:
        return [link for _, _, link in self.rows if link is not None]

    def show(self, rows: list[Row]) -> None:
        """Show ``rows``, the highlight kept on the same link if it is still there."""
        current = self.current_link
        self.rows = rows
        fields = [link.field for link in self.links]
        self.cursor = fields.index(current.field) if current and current.field in fields else 0
        self.refresh(layout=True)

    @property
    def current_link(self) -> Link | None:
        links = self.links
        return links[self.cursor] if 0 <= self.cursor < len(links) else None

    def render(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="dim", no_wrap=True)
        table.add_column()
        link_style = self.get_component_rich_style("overview--link", partial=True)
        cursor_style = self.get_component_rich_style("overview--cursor", partial=True)
        current = self.current_link
        for label, text, link in self.rows:
            if link is not None:
                text = text.copy()
                text.stylize(cursor_style if link == current and self.has_focus else link_style)
                if link.hint:
                    text.append(f"  {link.hint}", style="dim")
            table.add_row(label, text)
        return table

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def watch_cursor(self) -> None:
        self.refresh()

    def action_move(self, step: int) -> None:
        if self.links:
            self.cursor = (self.cursor + step) % len(self.links)

    def action_follow(self) -> None:
        link = self.current_link
        if link is not None:
            self.post_message(self.Followed(link))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``enter`` while it holds a link; up and down while there are links to choose
        from (with one or none they scroll the overview)."""
        if action == "follow":
            return bool(self.links)
        if action == "move":
            return len(self.links) > 1
        return True
