"""How values look on screen: ISO dates, money with separators and currency, short counts.

Text from the database reaches widgets through :func:`shown` (Textual) or :func:`rich_text`
(Rich tables): never read as markup, control characters written as escapes
(:func:`kpotui.text.visible`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual.content import Content

from kpotui import labels
from kpotui.text import money_figure, money_text, on_screen

NONE = "—"
"""Shown for a value that is not set, where a blank would be ambiguous."""


def money(amount: Decimal | None, currency: str | None = None) -> str:
    """``USD 552,000.00`` (:func:`kpotui.text.money_text`), or ``552,000.00`` beside a
    currency column; blank when unset."""
    if amount is None:
        return ""
    return money_text(currency, amount) if currency else money_figure(amount)


def short_money(amount: Decimal) -> str:
    """Whole units up to a million, then ``1.2 M`` / ``114 M``: for tight cells."""
    if amount < 1_000_000:
        return f"{amount:,.0f}"
    millions = amount / 1_000_000
    return f"{millions:.1f} M" if millions < 100 else f"{millions:,.0f} M"


def day(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def lateness(due: date, today: date) -> str:
    """``12 d late``, ``today``, ``in 5 d``."""
    days = (today - due).days
    if days > 0:
        return f"{days} d late"
    if days == 0:
        return "today"
    return f"in {-days} d"


def age(since: date | None, today: date) -> str:
    """Days elapsed since ``since``: ``215 d``."""
    return f"{(today - since).days} d" if since is not None else NONE


def percent(fraction: float | None) -> str:
    return f"{fraction:.0%}" if fraction is not None else NONE


def share(fraction: float) -> str:
    """A share of spend to a tenth of a percent (``64.3%``)."""
    return f"{fraction:.1%}"


def amounts(amounts: dict[str, Decimal]) -> str:
    """Amounts in several currencies side by side, never added: ``EUR 5,000; USD 1.2 M``."""
    return "; ".join(f"{c} {short_money(a)}" for c, a in sorted(amounts.items())) or "0"


def quality(score: float | None) -> str:
    return f"{score:.1f}" if score is not None else NONE


def yes_no(flag: bool | None) -> str:
    return "yes" if flag else "no"


def listed(items: Iterable[str]) -> str:
    return ", ".join(items)


def label(field_name: str) -> str:
    """``service_line`` -> ``Service line`` (see :func:`kpotui.labels.label`)."""
    return labels.label(field_name)


def one_line(text: str | None, limit: int = 200) -> str:
    """The text on one line, cut at ``limit`` characters."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def shown(text: str, *, multiline: bool = False) -> Content:
    """``text`` for a Textual widget: plain (``[`` is not markup), every control visible."""
    return Content(on_screen(text, multiline=multiline))


def rich_text(text: str, *, multiline: bool = False, style: str = "") -> Text:
    """``text`` for a cell of a Rich table: plain, every control visible."""
    return Text(on_screen(text, multiline=multiline), style=style)


def value_text(value: Any) -> str:
    """Any clean field value as text (dates ISO, money with separators, lists joined)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, date):
        return day(value)
    if isinstance(value, list):
        return listed(value)
    return str(value)
