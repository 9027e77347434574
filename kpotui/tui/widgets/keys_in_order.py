"""Editors that run their own bound keys (backspace, home, arrows) in the order typed.

Textual runs a widget's non-priority binding only once the key event has bubbled up to
the app, one message queue per ancestor. In a burst (a paste, fast typing over a slow
link) the printable keys behind it are inserted by the editor meanwhile, so a backspace
typed between two letters was applied after both. These editors run a key bound on
themselves as soon as they read it, in their own queue, behind the keys before it.
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Input, TextArea


async def run_own_binding(widget: Widget, event: events.Key) -> bool:
    """Run the binding ``widget`` itself has for ``event`` (as the user's keymap maps it),
    now, focused or not (a tab later in the burst may have moved the focus on already);
    False when it has none, or its action is not available."""
    own = widget._bindings.copy()
    if widget.app._keymap:
        own.apply_keymap(widget.app._keymap)
    for binding in own.key_to_bindings.get(event.key, ()):
        if not binding.priority and await widget.app.run_action(binding.action, widget):
            event.stop()
            event.prevent_default()
            return True
    return False


class OrderedInput(Input):
    """An :class:`Input` whose bound keys keep their place among the keys typed."""

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls each class's handler in turn, unless one prevents the default
        if not event.is_printable:
            await run_own_binding(self, event)


class OrderedTextArea(TextArea):
    """A :class:`TextArea` whose bound keys keep their place among the keys typed."""

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls each class's handler in turn, unless one prevents the default
        if not event.is_printable:
            await run_own_binding(self, event)
