"""Which characters text may hold, text that is safe to show on anyone's terminal, and
the one way money is written (:func:`money_text`).

A record's text reaches other people's terminals (``kpotui list``, reports, the app), so a
control character in it must never be written raw: an escape sequence could clear their
screen, set their window title, write their clipboard (OSC 52) or hide a link (OSC 8).
Input refuses such characters (:mod:`kpotui.services.validation`); older data, or data
written by other tools, may still hold them, so every output path shows text through
:func:`visible`, which writes each one as an escape (``\\x1b``, ``\\u202e``).

Two kinds of text:

- **one-line** (names, titles, codes, list items): no C0 or C1 control, no DEL, no
  bidirectional embedding, override or isolate (U+202A-U+202E, U+2066-U+2069: they make a
  name display as something else), no zero-width space, word joiner or byte-order mark
  (U+200B, U+2060, U+FEFF: they make two different names look the same), no line or
  paragraph separator (U+2028, U+2029). The zero-width joiner and non-joiner (U+200D,
  U+200C: emoji sequences, Persian and Indic scripts) and the bidirectional marks (U+200E,
  U+200F, U+061C: right-to-left names) are allowed.
- **multi-line** (descriptions, note bodies): line feed and tab allowed; every other C0
  or C1 control and DEL refused (carriage returns are turned into line feeds on input).
"""

from __future__ import annotations

import re
from decimal import Decimal

_ONE_LINE_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
_MULTI_LINE_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200b\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
"""What ``json.dumps`` leaves raw (it escapes C0 controls itself), and TOML writers too."""

_NAMES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
_SAFE_ASCII_LINES = bytes([0x09, 0x0A, *range(0x20, 0x7F)])


def _plain(text: str, multiline: bool) -> bool:
    """True when ``text`` certainly holds nothing to escape (fast: no regular expression)."""
    if text.isprintable():
        return True
    # Multi-line ASCII text fails isprintable() at its first line feed: check its bytes.
    return multiline and text.isascii() and not text.encode().translate(None, _SAFE_ASCII_LINES)


def escape(char: str) -> str:
    """One character as the escape that shows it: ``\\x1b``, ``\\n``, ``\\u202e``."""
    if char in _NAMES:
        return _NAMES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _escaped(match: re.Match[str]) -> str:
    return escape(match.group())


def visible(text: str, *, multiline: bool = False) -> str:
    """``text`` with every character that one-line (or multi-line) text may not hold
    written as an escape, so that nothing in it is interpreted by a terminal."""
    if _plain(text, multiline):  # the common case: nothing to escape
        return text
    pattern = _MULTI_LINE_UNSAFE if multiline else _ONE_LINE_UNSAFE
    return pattern.sub(_escaped, text)


EMOJI_PRESENTATION = "\ufe0f"
"""Variation selector 16: asks for the emoji form of the character before it (⚖️, 🗑️).
Terminals disagree on how wide that is (one cell or two), so a line measured one way
draws another and box borders break."""


def on_screen(text: str, *, multiline: bool = False) -> str:
    """``text`` made :func:`visible`, for a full-screen app: without emoji variation
    selectors, so every terminal draws it as wide as ``rich.cells.cell_len`` measures it
    (the text form of ⚖️ is one cell everywhere). Not for text that is edited or saved."""
    return visible(text, multiline=multiline).replace(EMOJI_PRESENTATION, "")


def visible_lines(text: str) -> str:
    """Lines of one-line text (a message, a table written as CSV): each line made
    :func:`visible`, the line breaks between them kept."""
    return "\n".join(visible(line) for line in text.split("\n"))


def first_unsafe(text: str, *, multiline: bool = False) -> int | None:
    """The index of the first character ``text`` may not hold, or None."""
    if _plain(text, multiline):
        return None
    found = (_MULTI_LINE_UNSAFE if multiline else _ONE_LINE_UNSAFE).search(text)
    return found.start() if found else None


def what(char: str) -> str:
    """What kind of character ``char`` (one :func:`first_unsafe` found) is, for a message."""
    code = ord(char)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return "a control character"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return "a bidirectional override"
    if char in "\u2028\u2029":
        return "a line separator"
    return "an invisible character"


def json_visible(encoded: str) -> str:
    """JSON or TOML text (from ``json.dumps`` or the TOML writer) with the characters they leave
    raw (DEL, C1 controls, bidirectional and invisible characters) written as ``\\uXXXX``.

    Both encoders write every string double-quoted, where ``\\uXXXX`` means the character
    itself: the data read back is exactly the same.
    """
    if encoded.isascii():
        return encoded
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


def money_figure(amount: Decimal) -> str:
    """An amount as every screen, table and report shows it: thousands separators and two
    decimals, as amounts are kept (to the cent in every currency): ``552,000.00``."""
    return f"{amount:,.2f}"


def money_text(currency: str, amount: Decimal) -> str:
    """The one money format, code first: ``USD 134,500.00`` (a table with a currency
    column of its own shows just the :func:`money_figure` beside it)."""
    return f"{currency} {money_figure(amount)}"
