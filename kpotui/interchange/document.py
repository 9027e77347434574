"""The TOML and JSON encodings of ``kpotui/1``: one document holding arrays of records.

Reading is strict: duplicate keys inside a JSON object, unknown top-level keys, numbers
that are not numbers (``NaN``) and non-UTF-8 bytes are problems, never guesses. Numbers
are read as :class:`~decimal.Decimal` so that ``12.10`` stays exactly ``12.10`` (and a
JSON ``NaN`` becomes a Decimal NaN that the field's validation refuses, with its path).

Writing is canonical: fields in the order of :mod:`kpotui.services.fields`, fields not
given left out, one record after another so a large export never sits in memory. TOML is
written here, not by a library, so that its layout never changes with a library's
choices (tomli-w writes a short array of tables inline, as ``kind = [{...}]``, which
cannot follow ``[[kind]]`` tables): one ``[[plural]]`` header per record, then one
``field = value`` line per field given (a text holding a line break as a multi-line
string).
No control character is written raw (C0 controls and DEL as TOML requires; C1 controls
and bidirectional or invisible characters as ``\\uXXXX``, see
:func:`~kpotui.text.json_visible`): the data is the same, and a document shown on a
terminal cannot drive it.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TextIO

from kpotui.interchange.problems import Location, Problems, Row
from kpotui.services.fields import BY_PLURAL, KindSpec
from kpotui.services.records import Record, json_safe
from kpotui.text import json_visible

FORMAT = "kpotui/1"
TOP_LEVEL = ("format", "reference_date", *BY_PLURAL)
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


class _Duplicated(dict[str, Any]):
    """A JSON object in which some key was given more than once (the last value kept)."""

    duplicates: list[str]


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    duplicates = []
    for key, value in pairs:
        if key in found:
            duplicates.append(key)
        found[key] = value
    if not duplicates:
        return found
    marked = _Duplicated(found)
    marked.duplicates = duplicates
    return marked


@dataclass
class Document:
    """A parsed TOML or JSON document: its arrays of records, checked at the top level."""

    file: str
    reference_date: date | None = None
    arrays: dict[str, list[Any]] = field(default_factory=dict)
    noun: str = "table"
    """What a record is called in this encoding (TOML: table, JSON: object)."""

    @property
    def kinds(self) -> set[str]:
        return {BY_PLURAL[plural].name for plural in self.arrays}

    def rows(self, spec: KindSpec, problems: Problems) -> Iterator[Row]:
        for index, item in enumerate(self.arrays.get(spec.plural, [])):
            at = Location(self.file, path=f"{spec.plural}[{index}]")
            if not isinstance(item, dict):
                article = "an" if self.noun[0] in "aeiou" else "a"
                problems.add(at, f"expected {article} {self.noun}, got {_type_name(item)}")
                continue
            for name in getattr(item, "duplicates", ()):
                problems.add(at, "given twice in the same object", name)
            yield Row(at, {name: _raw(value) for name, value in item.items() if _given(value)})


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | Decimal):
        return "a number"
    kinds = ((str, "a string"), (list, "an array"), (dict, "a table or object"))
    return next((name for kind, name in kinds if isinstance(value, kind)), "a value")


def _given(value: Any) -> bool:
    """None (JSON null), blank text and empty arrays mean "not given", as empty CSV cells."""
    if isinstance(value, str):
        return not value.isspace() and value != ""
    return value is not None and value != []


def _raw(value: Any) -> Any:
    """TOML times and date-times become text, so a date field refuses them with a message."""
    if isinstance(value, datetime | time):
        return value.isoformat()
    return value


def parse(data: bytes, encoding: str, file: str, problems: Problems) -> Document | None:
    """Parse a whole ``toml`` or ``json`` document (already size-checked by the caller)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.add(Location(file, line), f"not valid UTF-8 (byte 0x{data[exc.start]:02x})")
        return None
    try:
        if encoding == "toml":
            content: Any = tomllib.loads(text, parse_float=Decimal)
        else:
            content = json.loads(
                text,
                object_pairs_hook=_json_object,
                parse_float=Decimal,
                parse_constant=Decimal,
            )
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.search(message)
        toml_line = int(match.group(1)) if match else None
        if match:
            message = f"{message[: match.start()]} (column {match.group(2)})"
        problems.add(Location(file, toml_line), f"invalid TOML: {message}")
        return None
    except json.JSONDecodeError as exc:
        problems.add(Location(file, exc.lineno), f"invalid JSON: {exc.msg} (column {exc.colno})")
        return None
    except ValueError:  # an integer longer than Python converts (sys.get_int_max_str_digits)
        limit = sys.get_int_max_str_digits()
        number = re.search(rf"\d{{{limit + 1},}}", text)
        number_line = text.count("\n", 0, number.start()) + 1 if number else None
        problems.add(
            Location(file, number_line),
            f"invalid {encoding.upper()}: a number of more than {limit:,} digits",
        )
        return None
    except RecursionError:
        problems.add(Location(file), f"invalid {encoding.upper()}: nested too deeply")
        return None
    if not isinstance(content, dict):
        problems.add(
            Location(file), f"expected an object at the top level, got {_type_name(content)}"
        )
        return None
    return _checked(content, file, "table" if encoding == "toml" else "object", problems)


def _checked(content: dict[str, Any], file: str, noun: str, problems: Problems) -> Document:
    top = Location(file, path="")
    document = Document(file, noun=noun)
    for name in getattr(content, "duplicates", ()):
        problems.add(top, "given twice in the same object", name)
    given_format = content.get("format")
    if given_format is None:
        problems.add(top, f'missing: the document must say format = "{FORMAT}"', "format")
    elif given_format != FORMAT:
        problems.add(
            top, f"{str(given_format)[:40]!r} is not supported (expected {FORMAT!r})", "format"
        )
    reference = content.get("reference_date")
    if isinstance(reference, date) and not isinstance(reference, datetime):
        document.reference_date = reference
    elif isinstance(reference, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", reference):
        try:
            document.reference_date = date.fromisoformat(reference)
        except ValueError:
            problems.add(top, f"not a date: {reference!r}", "reference_date")
    elif reference is not None:
        problems.add(top, "not a date in YYYY-MM-DD form", "reference_date")
    for name, value in content.items():
        if name not in TOP_LEVEL:
            problems.add(top, f"unknown key (expected {', '.join(TOP_LEVEL)})", name)
        elif name in BY_PLURAL:
            if isinstance(value, list):
                document.arrays[name] = value
            else:
                problems.add(top, f"expected an array of {noun}s, got {_type_name(value)}", name)
    return document


# -- writing --------------------------------------------------------------------------------


def document_values(spec: KindSpec, record: Record, *, native_dates: bool) -> dict[str, Any]:
    """The fields given of ``record`` in canonical order, as document values."""
    out: dict[str, Any] = {}
    for f in spec.fields:
        value = record[f.name]
        if value is None or value == []:
            continue
        out[f.name] = value if native_dates and isinstance(value, date) else json_safe(value)
    return out


_ONE_LINE = str.maketrans(
    {c: f"\\u{c:04x}" for c in (*range(0x20), 0x7F) if c != ord("\t")}
    | {"\b": "\\b", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
)
"""What TOML requires escaped in a basic string: C0 controls but tab, DEL, quote, backslash."""
_MULTI_LINE = _ONE_LINE | {ord("\n"): "\n"}
"""In a multi-line string line feeds stay bare, nothing else: a carriage return is written
``\\r`` (a reader may turn a bare CRLF into LF), and every quote is escaped (so no run of
three quotes can end the string early)."""


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string, a multi-line one when it holds a line feed; C1
    controls and invisible characters too are escaped (:func:`~kpotui.text.json_visible`)."""
    if "\n" in text:
        return json_visible('"""\n' + text.translate(_MULTI_LINE) + '"""')
    return json_visible('"' + text.translate(_ONE_LINE) + '"')


def toml_value(value: Any) -> str:
    """A document value (text, number, boolean, date, list of those) as TOML."""
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)  # shortest exact spelling; also TOML's for inf and nan
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(map(toml_value, value)) + "]"
    raise TypeError(f"no TOML spelling for {type(value).__name__}")


def write_toml(
    out: TextIO,
    kinds: Iterable[tuple[KindSpec, Iterable[Record]]],
    *,
    reference_date: date | None = None,
) -> None:
    """A TOML document: ``format``, then one ``[[plural]]`` table per record."""
    out.write(f"format = {toml_string(FORMAT)}\n")
    if reference_date is not None:
        out.write(f"reference_date = {toml_value(reference_date)}\n")
    for spec, records in kinds:
        header = f"\n[[{spec.plural}]]\n"
        for record in records:
            values = document_values(spec, record, native_dates=True)
            lines = (f"{name} = {toml_value(value)}\n" for name, value in values.items())
            out.write(header + "".join(lines))


def write_json(
    out: TextIO,
    kinds: Iterable[tuple[KindSpec, Iterable[Record]]],
    *,
    reference_date: date | None = None,
) -> None:
    """A JSON document, indented by two, non-ASCII characters kept as they are (but for
    those :func:`~kpotui.text.json_visible` escapes)."""
    out.write(f'{{\n  "format": {json.dumps(FORMAT)}')
    if reference_date is not None:
        out.write(f',\n  "reference_date": "{reference_date.isoformat()}"')
    for spec, records in kinds:
        opened = False
        for record in records:
            out.write(",\n" if opened else f',\n  "{spec.plural}": [\n')
            opened = True
            text = json.dumps(
                document_values(spec, record, native_dates=False), ensure_ascii=False, indent=2
            )
            out.write("\n".join("    " + line for line in json_visible(text).split("\n")))
        if opened:
            out.write("\n  ]")
    out.write("\n}\n")
