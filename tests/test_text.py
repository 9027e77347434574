"""kpotui.text: what is escaped for one-line and multi-line text, and JSON staying exact."""

from __future__ import annotations

import json

import pytest
from rich.cells import cell_len

from kpotui.text import first_unsafe, json_visible, on_screen, visible, visible_lines

ESCAPED = [
    ("Evil\x1b]0;pwned\x07Corp", "Evil\\x1b]0;pwned\\x07Corp"),
    ("a\x00b\x08c\x7fd\x85e\x9bf", "a\\x00b\\x08c\\x7fd\\x85e\\x9bf"),
    ("two\nlines\ttab\rcr", "two\\nlines\\ttab\\rcr"),
    ("x\u202ey\u2066z\u200bw\ufeffv\u2028u", "x\\u202ey\\u2066z\\u200bw\\ufeffv\\u2028u"),
]


@pytest.mark.parametrize(("raw", "shown"), ESCAPED)
def test_visible_escapes_every_character_one_line_text_may_not_hold(raw: str, shown: str) -> None:
    assert visible(raw) == shown
    assert visible(shown) == shown  # showing twice changes nothing
    assert first_unsafe(raw) is not None and first_unsafe(shown) is None


def test_visible_keeps_printable_text_joiners_and_marks() -> None:
    for text in (
        "Ünïcödé ☃",
        "👩\u200d💻",
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
        "שלום\u200f",
        "C:\\path [x]",
    ):
        assert visible(text) == text


def test_multi_line_text_keeps_line_feeds_tabs_and_bidi_characters() -> None:
    raw = "one\n\ttwo\u202e\r\x1b[2J"
    assert visible(raw, multiline=True) == "one\n\ttwo\u202e\\r\\x1b[2J"
    assert first_unsafe("one\n\ttwo\u202e", multiline=True) is None


def test_visible_lines_keeps_only_line_breaks() -> None:
    assert visible_lines("a\x1b\nb\u202e\tc") == "a\\x1b\nb\\u202e\\tc"


def test_json_visible_escapes_what_json_dumps_leaves_raw_and_reads_back_the_same() -> None:
    value = {"name": "Del\x7f C1\x9b\x85 bidi\u202e zw\u200b sep\u2028 ok👩\u200d💻"}
    encoded = json_visible(json.dumps(value, ensure_ascii=False))
    assert json.loads(encoded) == value
    assert first_unsafe(encoded.replace("\u200d", "")) is None
    assert "👩\u200d💻" in encoded


def test_on_screen_drops_emoji_variation_selectors_and_still_escapes() -> None:
    assert on_screen("⚖️ Legal 🗑️") == "⚖ Legal 🗑"
    assert cell_len(on_screen("⚖️ Legal 🗑️")) == len("⚖ Legal 🗑")  # one cell each
    assert on_screen("a\x1b[2Jb ⚖️") == "a\\x1b[2Jb ⚖"
    assert on_screen("👩‍💻 team") == "👩‍💻 team"  # a joined emoji keeps its joiner
