"""Baseline of the TUI's first frame: a minimal Textual app that shows one Static."""

from textual.app import App, ComposeResult
from textual.widgets import Static

MARKER = "one Static and nothing else"


class StaticApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(MARKER)


if __name__ == "__main__":
    StaticApp().run()
