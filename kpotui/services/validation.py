"""Turning raw input (form text, CSV cells, TOML/JSON values) into clean field values.

The rules hold whoever writes: required fields present, enum values valid (input forgives
case and ``_``/space for ``-``), dates as ``YYYY-MM-DD``, money >= 0 with at most two
decimals, e-mails with an ``@``, ``end_date >= start_date``, quality 1-5. References are
checked against the database by :mod:`kpotui.services.records`.

Clean values are: ``str``, ``datetime.date``, ``Decimal`` (money, two places), ``int``,
``float``, ``bool``, ``list[str]`` or ``None`` (not given).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from kpotui.labels import label
from kpotui.services.errors import ValidationError
from kpotui.services.fields import MAX_MONEY_MINOR, FieldSpec, FieldType, KindSpec
from kpotui.text import escape, first_unsafe, what

MAX_TEXT = 500
"""Longest single-line text field, in characters."""
MAX_LONG_TEXT = 200_000
"""Longest Markdown body or description, in characters (a long report, not a book)."""
MAX_LIST_ITEMS = 100
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CURRENCY_RE = re.compile(r"[A-Z]{3}")
MONTHS = (
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
)
"""In English whatever the locale: the messages are."""
_TRUE = {"true", "yes", "1", "y", "on"}
_FALSE = {"false", "no", "0", "n", "off"}
_UNKNOWN = object()


def canonical_enum(text: str) -> str:
    """``On_Hold`` / ``on hold`` / ``ON-HOLD`` -> ``on-hold``."""
    return re.sub(r"[\s_]+", "-", text.strip().lower())


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _text(value: Any, limit: int) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {type(value).__name__}")
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    if len(value) > limit:
        raise ValueError(f"too long ({len(value):,} characters, at most {limit:,})")
    return value


def _one_line(value: Any) -> str:
    """Text for a one-line field: trimmed, and only printable characters (see
    :mod:`kpotui.text`)."""
    text = _text(value, MAX_TEXT)
    stripped = text.strip()
    index = first_unsafe(stripped)
    if index is not None:
        char = stripped[index]
        position = len(text) - len(text.lstrip()) + index + 1
        raise ValueError(
            f"contains {what(char)} ({escape(char)} at position {position}); "
            "one-line fields take printable text only"
        )
    return stripped


def _multi_line(value: Any) -> str:
    """Text for a multi-line field: line breaks as LF (CRLF and a lone CR become LF), and
    no control character but line feed and tab."""
    text = _text(value, MAX_LONG_TEXT)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    index = first_unsafe(text, multiline=True)
    if index is not None:
        char = text[index]
        line = text.count("\n", 0, index) + 1
        column = index - text.rfind("\n", 0, index)
        raise ValueError(
            f"contains {what(char)} ({escape(char)} on line {line} at position {column}); "
            "multi-line fields take printable text, line breaks and tabs only"
        )
    return text


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE_RE.fullmatch(value.strip()):
        return parse_day(value.strip())
    shown = value if len(str(value)) <= 40 else f"{str(value)[:40]}..."
    raise ValueError(f"not a date in YYYY-MM-DD form: {shown!r}")


def parse_day(text: str) -> date:
    """``YYYY-MM-DD`` text as a date; a date-shaped text that is no day says why
    (``2025-13-01 has no month 13``, ``2025-02-30 is not a day in February 2025``)."""
    if not _DATE_RE.fullmatch(text):
        raise ValueError(f"not a date in YYYY-MM-DD form: {text[:40]!r}")
    year, month, day = (int(part) for part in text.split("-"))
    if not 1 <= month <= 12:
        raise ValueError(f"{text} has no month {month}")
    try:
        return date(year, month, day)
    except ValueError:
        if year == 0:
            raise ValueError(f"{text} has no year 0") from None
        raise ValueError(f"{text} is not a day in {MONTHS[month - 1]} {year}") from None


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("expected a number, got a boolean")
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "")
        if len(text) > 40:
            raise ValueError("number too large")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"not a number: {value[:40]!r}") from None
    elif isinstance(value, int):
        if abs(value) > 10**30:
            raise ValueError("number too large")
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    else:
        raise ValueError(f"expected a number, got {type(value).__name__}")
    if not number.is_finite():
        raise ValueError("not a finite number")
    if number.adjusted() > 30:
        raise ValueError("number too large")
    return number


def _money(value: Any) -> Decimal:
    number = _decimal(value)
    if number < 0:
        raise ValueError(f"must not be negative: {number}")
    if number * 100 >= MAX_MONEY_MINOR:
        raise ValueError(f"too large: must be below {MAX_MONEY_MINOR // 100:,}")
    if number != number.quantize(Decimal("0.01")):
        raise ValueError(f"at most two decimals: {number}")
    return number.quantize(Decimal("0.01"))


MAX_RATE = Decimal(10) ** 9
RATE_DECIMALS = 12


def _rate(value: Any) -> str:
    """An exchange rate as canonical decimal text (``0.90`` -> ``0.9``): exact, and equal
    inputs give equal text."""
    number = _decimal(value)
    if number <= 0:
        raise ValueError(f"must be a positive number: {number}")
    if number >= MAX_RATE:
        raise ValueError(f"too large: must be below {MAX_RATE:,}")
    if number != round(number, RATE_DECIMALS):
        raise ValueError(f"at most {RATE_DECIMALS} decimals: {number}")
    return format(number.normalize(), "f")


def _int(value: Any) -> int:
    number = _decimal(value)
    if number != number.to_integral_value():
        raise ValueError(f"expected a whole number, got {number}")
    return int(number)


def _float(value: Any) -> float:
    return float(_decimal(value))


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    raise ValueError(f"expected true or false, got {str(value)[:40]!r}")


def _enum(value: Any, spec: FieldSpec) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected one of {', '.join(spec.allowed)}")
    canonical = canonical_enum(value)
    if canonical not in spec.allowed:
        shown = value if len(value) <= 40 else f"{value[:40]}..."
        raise ValueError(f"{shown!r} is not one of {', '.join(spec.allowed)}")
    return canonical


def _list(value: Any, spec: FieldSpec) -> list[str]:
    if isinstance(value, str):
        items: list[Any] = value.split(";")
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        raise ValueError(f"expected a list, got {type(value).__name__}")
    cleaned: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"list items must be text, got {type(item).__name__}")
        text = _one_line(item)
        if not text:
            continue
        if ";" in text:
            raise ValueError(f"list item {text[:40]!r} contains ';' (the list separator)")
        if spec.choices is not None:
            text = _enum(text, spec)
        if text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > MAX_LIST_ITEMS:
        raise ValueError(f"too many items ({len(cleaned)}, at most {MAX_LIST_ITEMS})")
    return cleaned


def clean_value(spec: FieldSpec, value: Any) -> Any:
    """One field's clean value; raises ValueError with a message for the user."""
    if spec.type is FieldType.LIST:
        return [] if _is_blank(value) else _list(value, spec)
    if _is_blank(value):
        return None
    match spec.type:
        case FieldType.TEXT | FieldType.REF:
            result: Any = _one_line(value)
        case FieldType.LONG_TEXT:
            result = _multi_line(value)
        case FieldType.EMAIL:
            result = _one_line(value)
            if not re.fullmatch(r"[^@\s]+@[^@\s]+", result):
                raise ValueError(f"not an e-mail address: {result[:60]!r}")
        case FieldType.CURRENCY:
            result = _text(value, MAX_TEXT).strip().upper()
            if not _CURRENCY_RE.fullmatch(result):
                raise ValueError(f"not an ISO 4217 currency code: {result[:20]!r}")
        case FieldType.DATE:
            result = _date(value)
        case FieldType.ENUM:
            result = _enum(value, spec)
        case FieldType.MONEY:
            result = _money(value)
        case FieldType.RATE:
            result = _rate(value)
        case FieldType.INT:
            result = _int(value)
        case FieldType.FLOAT:
            result = _float(value)
        case FieldType.BOOL:
            result = _bool(value)
    if spec.minimum is not None and result < spec.minimum:
        raise ValueError(f"must be at least {spec.minimum}, got {result}")
    if spec.maximum is not None and result > spec.maximum:
        raise ValueError(f"must be at most {spec.maximum}, got {result}")
    return result


def clean(kind: KindSpec, raw: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Validate ``raw`` for ``kind`` and return clean values for the fields given.

    With ``partial`` (an update), only the fields present are checked for presence;
    otherwise missing fields take their defaults and required ones must be there.
    Raises :class:`ValidationError` carrying one message per bad field.
    """
    values, errors = clean_collect(kind, raw, partial=partial)
    if errors:
        raise ValidationError(errors)
    return values


class ValueCache:
    """The clean values of one kind's short text inputs, remembered per field.

    A bulk import sees the same dates, statuses and references thousands of times; with a
    cache each distinct input is cleaned once. Only immutable results are kept (not lists),
    and at most :attr:`PER_FIELD` per field, so memory stays bounded.
    """

    PER_FIELD = 4096
    LONGEST = 64

    def __init__(self) -> None:
        self.known: dict[str, dict[str, Any]] = {}
        """Field name -> input text -> clean value."""

    def clean(self, spec: FieldSpec, value: Any) -> Any:
        """The clean value of an input :func:`clean_collect` did not find in :attr:`known`."""
        result = clean_value(spec, value)
        if type(value) is str and len(value) <= self.LONGEST and spec.type is not FieldType.LIST:
            known = self.known.setdefault(spec.name, {})
            if len(known) < self.PER_FIELD:
                known[value] = result
        return result


def clean_collect(
    kind: KindSpec,
    raw: Mapping[str, Any],
    *,
    partial: bool = False,
    cache: ValueCache | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Like :func:`clean`, but returns (good values, field -> message) instead of raising.

    ``cache`` (one per kind) speeds up cleaning many records of that kind.
    """
    clean_one = cache.clean if cache is not None else clean_value
    known_by_field = cache.known if cache is not None else {}
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if not raw.keys() <= kind.by_name.keys():
        for name in raw:
            if name not in kind.by_name:
                errors[name] = f"unknown field for a {kind.name}"
    for spec in kind.fields:
        name = spec.name
        if name not in raw:
            if not partial:
                values[name] = [] if spec.type is FieldType.LIST else spec.default
            continue
        value = raw[name]
        known = known_by_field.get(name)  # the cache's hit, without a call per value
        if known is not None and type(value) is str:
            found = known.get(value, _UNKNOWN)
            if found is not _UNKNOWN:
                values[name] = found
                continue
        try:
            values[name] = clean_one(spec, value)
        except ValueError as exc:
            errors[name] = str(exc)
    for spec in kind.fields:
        checked = spec.name in values or not partial
        if spec.required and checked and spec.name not in errors and values.get(spec.name) is None:
            errors[spec.name] = "required"
    return values, errors


def record_errors(kind: KindSpec, record: Mapping[str, Any]) -> dict[str, str]:
    """Rules across fields, checked on the whole record after a create or an update."""
    errors: dict[str, str] = {}
    for spec in kind.fields:
        if spec.required and record.get(spec.name) is None:
            errors[spec.name] = "required"
    for earlier, later in (("start_date", "end_date"), ("submitted_date", "accepted_date")):
        first, then = record.get(earlier), record.get(later)
        if first is not None and then is not None and then < first:
            errors[later] = f"before the {label(earlier).lower()} ({first.isoformat()})"
    return errors
