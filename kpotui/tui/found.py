"""Records found by a search, shown: their text with the words searched for highlighted."""

from __future__ import annotations

from rich.text import Text

from kpotui.services.fields import kind_spec
from kpotui.services.find_records import Found, words_in
from kpotui.text import visible

MATCH_STYLE = "bold reverse"


def highlighted(text: str, query: str, style: str = "") -> Text:
    """``text`` made visible (no control character raw), every word of ``query`` in it
    highlighted: styled spans of a plain Text, never markup."""
    shown = Text(visible(text), style=style)
    for start, end in words_in(shown.plain, query):
        shown.stylize(MATCH_STYLE, start, end)
    return shown


def kind_label(kind: str) -> str:
    """``Activity``, ``Contract``: a kind as people say it."""
    return kind_spec(kind).noun.capitalize()


def found_line(found: Found, query: str) -> Text:
    """One line: the record's text, then what places it, both highlighted."""
    line = highlighted(found.text, query)
    if found.detail:
        line.append("  ")
        line.append_text(highlighted(found.detail, query, style="dim"))
    return line
