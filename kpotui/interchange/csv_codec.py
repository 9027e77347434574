"""The CSV encoding of ``kpotui/1``: one file per kind, a header row, one record per row.

Reading streams the file record by record (memory stays flat whatever its size) and
reports malformed input as problems located at the line where the record starts.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return: OWASP "CSV injection") are written with a leading ``'``; so is a
cell that starts with ``'`` followed by one of those characters or another ``'``. Reading
removes exactly that one ``'``, so every value survives the round trip.

Writing builds each batch of rows a column at a time (one converter per field, chosen once),
which is what keeps exporting a large firm fast.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from itertools import islice, repeat
from operator import itemgetter
from typing import Any, TextIO

from kpotui.interchange.problems import Location, Problems, Row
from kpotui.services.fields import FieldType, KindSpec
from kpotui.services.records import json_safe

LIST_SEPARATOR = ";"
CELL_LIMIT = 1_000_000
"""Longest cell read, in characters: well above any field's limit, low enough that an
unterminated quote fails fast instead of swallowing the rest of a large file."""
FORMULA_START = frozenset("=+-@\t\r")
_ESCAPED_START = FORMULA_START | {"'"}
_first_character = itemgetter(0)


def neutralise(text: str) -> str:
    """``=1+1`` -> ``'=1+1``; ``'=x`` -> ``''=x``; anything else unchanged."""
    if text[:1] in FORMULA_START or (text[:1] == "'" and text[1:2] in _ESCAPED_START):
        return "'" + text
    return text


def encode_cell(value: Any) -> str:
    """A clean value as canonical cell text (empty for "not given")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list):
        text = LIST_SEPARATOR.join(value)
    elif isinstance(value, float):
        text = repr(value)
    else:
        text = str(json_safe(value))
    return neutralise(text)


def _needs_quotes(text: str) -> bool:
    """A cell holding a comma, a quote or a line break is quoted, its quotes doubled (as
    ``csv.writer`` does, except that it leaves a lone carriage return bare: every reader
    ends the row there). Four ``in`` tests scan far faster than a regular expression."""
    return "," in text or '"' in text or "\n" in text or "\r" in text


def write_csv(out: TextIO, spec: KindSpec, records: Iterable[dict[str, Any]]) -> int:
    """Write a header and one row per record; returns the number of records."""
    out.write(",".join(f.name for f in spec.fields) + "\n")
    written = 0
    rows = iter(records)
    while chunk := list(islice(rows, 500)):
        cells = [_quoted_column([encode_cell(r[f.name]) for r in chunk]) for f in spec.fields]
        _write_lines(out, cells)
        written += len(chunk)
    return written


def write_stored_csv(
    out: TextIO, spec: KindSpec, batches: Iterable[Sequence[Sequence[Any]]]
) -> None:
    """Write a header and the rows of :func:`kpotui.services.records.stored_batches`: the
    same bytes as :func:`write_csv` of the records, converted a column at a time."""
    convert = [_STORED_COLUMN.get(f.type, _text_column) for f in spec.fields]
    out.write(",".join(f.name for f in spec.fields) + "\n")
    for rows in batches:
        columns = zip(*rows, strict=True)
        _write_lines(out, [cells(column) for cells, column in zip(convert, columns, strict=True)])


def _write_lines(out: TextIO, columns: Sequence[Sequence[str]]) -> None:
    """Write rows given as columns of cells, quoted already."""
    out.write("\n".join(map(",".join, zip(*columns, strict=True))) + "\n")


def _quoted_column(texts: Sequence[str]) -> Sequence[str]:
    """One search of the joined column first: most columns hold no cell to quote."""
    if not _needs_quotes("".join(texts)):
        return texts
    return ['"' + text.replace('"', '""') + '"' if _needs_quotes(text) else text for text in texts]


def _neutralised(texts: Sequence[str | None]) -> list[str]:
    """Texts neutralised, None as ""; with one C-level pass over the column when, as in
    almost every column, no text starts with a character that might need it."""
    if _ESCAPED_START.isdisjoint(map(_first_character, filter(None, texts))):
        return [text or "" for text in texts]
    return [neutralise(text) if text else "" for text in texts]


def _text_column(texts: Sequence[str | None]) -> Sequence[str]:
    return _quoted_column(_neutralised(texts))


def _date_column(days: Sequence[str | date | None]) -> Sequence[str]:
    """ISO dates: SQLite stores them so already, PostgreSQL's driver gives dates."""
    if any(map(isinstance, days, repeat(date))):
        return [day.isoformat() if isinstance(day, date) else day or "" for day in days]
    return [day or "" for day in days]  # type: ignore[misc]  # no date: checked above


def _integer_column(numbers: Sequence[int | None]) -> Sequence[str]:
    return _neutralised([None if number is None else str(number) for number in numbers])


_TWO_DECIMALS = "%d.%02d"
"""Units and cents; %-formatting a divmod is twice as fast as an f-string of two fields."""


def _money_column(minors: Sequence[int | None]) -> Sequence[str]:
    """Minor units as two-decimal text (1234 -> 12.34), in one comprehension when no
    amount is negative (validation refuses them)."""
    if min(filter(None, minors), default=0) < 0:
        return list(map(_money_cell, minors))
    return ["" if minor is None else _TWO_DECIMALS % divmod(minor, 100) for minor in minors]


def _money_cell(minor: int | None) -> str:
    if minor is None:
        return ""
    if minor < 0:  # refused by validation; neutralised like any text starting with "-"
        return neutralise("-" + _money_cell(-minor))
    return _TWO_DECIMALS % divmod(minor, 100)


def _bool_cell(flag: int | bool | None) -> str:
    return "" if flag is None else "true" if flag else "false"


def _float_cell(number: float | None) -> str:
    return "" if number is None else neutralise(repr(float(number)))


def _list_cell(items: str | list[str] | None) -> str:
    if items is None:
        return ""
    return neutralise(LIST_SEPARATOR.join(json.loads(items) if isinstance(items, str) else items))


def _list_column(lists: Sequence[str | list[str] | None]) -> Sequence[str]:
    return _quoted_column(list(map(_list_cell, lists)))


def _each(cell: Callable[[Any], str]) -> Callable[[Sequence[Any]], Sequence[str]]:
    return lambda values: list(map(cell, values))


_STORED_COLUMN: dict[FieldType, Callable[[Sequence[Any]], Sequence[str]]] = {
    FieldType.DATE: _date_column,
    FieldType.INT: _integer_column,
    FieldType.MONEY: _money_column,
    FieldType.BOOL: _each(_bool_cell),
    FieldType.FLOAT: _each(_float_cell),
    FieldType.LIST: _list_column,
}
"""Stored values of a column -> its cells; every other type is text (enumerations and
references too) and goes through :func:`_text_column`. Only texts and lists can hold a
character that needs quoting."""


def _records(reader: Any, file: str, problems: Problems) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, cells); a malformed record ends the file."""
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.add(Location(file, previous + 1), _csv_message(str(exc)))
            return
        yield previous + 1, cells
        previous = reader.line_num


def _csv_message(error: str) -> str:
    if error == "unexpected end of data":
        return "unterminated quoted cell: its closing quote is missing"
    if error.startswith("field larger than field limit"):
        return f"a cell is longer than {CELL_LIMIT:,} characters (an unterminated quote?)"
    return f"malformed CSV: {error}"


def _bad_utf8(cells: list[str]) -> str | None:
    """The message for cells holding bytes that were not UTF-8 (read as surrogates)."""
    joined = "".join(cells)
    if joined.isascii():
        return None
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError as exc:
        byte = ord(joined[exc.start]) - 0xDC00
        return f"not valid UTF-8 (byte 0x{byte:02x})"
    return None


def _header(cells: list[str], spec: KindSpec, at: Location, problems: Problems) -> list[str]:
    """The field names of the header row, or [] after reporting why it is unusable."""
    names = [cell.strip() for cell in cells]
    found = len(problems.shown), problems.total
    bad = _bad_utf8(cells)
    if bad or not any(names):
        problems.add(at, bad or "the first line must be the header row (field names)")
        return []
    seen: set[str] = set()
    for name in names:
        if name not in spec.by_name:
            known = ", ".join(f.name for f in spec.fields)
            problems.add(at, f"unknown column for {spec.plural} (known: {known})", name or '""')
        elif name in seen:
            problems.add(at, "column given twice", name)
        seen.add(name)
    for name in spec.key:
        if name not in seen:
            problems.add(at, f"column missing: it is part of the {spec.name}'s key", name)
    return names if (len(problems.shown), problems.total) == found else []


def read_csv(text: TextIO, spec: KindSpec, file: str, problems: Problems) -> Iterator[Row]:
    """The rows of a CSV file of ``spec`` records; problems are added to ``problems``.

    ``text`` must be opened with ``newline=""`` and ``errors="surrogateescape"`` (see
    :class:`kpotui.interchange.inputs.CsvSource`), so that bad bytes are reported with
    their line instead of stopping the read.
    """
    csv.field_size_limit(CELL_LIMIT)
    records = _records(csv.reader(text, strict=True), file, problems)
    first = next(records, None)
    if first is None:
        problems.add(Location(file), "empty file: a header row is required")
        return
    names = _header(first[1], spec, Location(file, first[0]), problems)
    if not names:
        return
    width, escaped = len(names), _ESCAPED_START
    for line, cells in records:
        if not any(cells):
            continue  # blank line, or a spreadsheet's empty row
        if len(cells) != width:
            problems.add(Location(file, line), f"{len(cells)} cells, but the header has {width}")
            continue
        bad = _bad_utf8(cells)
        if bad:
            problems.add(Location(file, line), bad)
            continue
        # Undo neutralise(): drop one ' before a formula character or another '.
        raw = {
            name: cell[1:] if cell[0] == "'" and cell[1:2] in escaped else cell
            for name, cell in zip(names, cells, strict=True)
            if cell and not cell.isspace()
        }
        yield Row(Location(file, line), raw)
