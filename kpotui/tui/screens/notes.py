"""Screen 5: the knowledge-retention notes, with full-text search."""

from __future__ import annotations

from collections.abc import Sequence

from kpotui.services.clock import today
from kpotui.services.fields import kind_spec
from kpotui.tui.screens.list_screen import ListScreen
from kpotui.tui.widgets.filter_bar import Choice, Option, TextChoice


class NotesScreen(ListScreen):
    """Notes; ``/`` searches title, body and tags; ⚑ marks notes past their review date."""

    KIND = "note"
    HELP = (
        "The notes that keep outsourced know-how inside the firm. / searches the words of "
        "titles, bodies and tags (every word must occur; word beginnings match). ⚑ and "
        "yellow mark notes past their review-by date. Enter shows a note rendered; in the "
        "form, ctrl+o previews the Markdown body."
    )

    def filters(self) -> Sequence[Choice | TextChoice]:
        kinds = kind_spec("note").field("kind").allowed
        return (
            Choice(
                "kind",
                [Option("any", "any kind")] + [Option(k, k, {"kind": k}) for k in kinds],
                width=16,
            ),
            Choice(
                "review",
                (
                    Option("any", "any review date"),
                    Option("due", "past review-by", due_before=today()),
                ),
            ),
        )
