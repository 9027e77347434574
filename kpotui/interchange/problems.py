"""Problems found in input: each one line that says where (file, line or path, field) and why.

CSV problems name the line where the record starts (``contracts.csv:7: end_date: ...``);
TOML and JSON problems name the record by its place in the document, counting from 0
(``firm.toml: contracts[3].end_date: ...``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kpotui.text import visible

MAX_SHOWN = 100
"""Problems printed in full; the rest are counted."""


@dataclass(frozen=True)
class Location:
    """Where a record (or a whole file) is: a CSV line, or a path inside a document."""

    file: str
    line: int | None = None
    path: str | None = None
    """For TOML/JSON: ``contracts[3]``; empty for the document's top level."""

    def describe(self, field_name: str | None = None) -> str:
        if self.path is not None:
            inner = ".".join(part for part in (self.path, field_name) if part)
            return f"{self.file}: {inner}" if inner else self.file
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {field_name}" if field_name else where


@dataclass(frozen=True)
class Problem:
    at: Location
    message: str
    field: str | None = None

    def __str__(self) -> str:
        """One line, whatever the file name or a quoted value holds (see :mod:`kpotui.text`)."""
        return visible(f"{self.at.describe(self.field)}: {self.message}")


@dataclass
class Problems:
    """Every problem of one import: the first :data:`MAX_SHOWN` kept, all counted."""

    shown: list[Problem] = field(default_factory=list)
    total: int = 0
    cap: int = MAX_SHOWN

    def add(self, at: Location, message: str, field_name: str | None = None) -> None:
        self.total += 1
        if len(self.shown) < self.cap:
            self.shown.append(Problem(at, message, field_name))

    def __bool__(self) -> bool:
        return self.total > 0

    def lines(self) -> list[str]:
        out = [str(problem) for problem in self.shown]
        if self.total > len(self.shown):
            out.append(f"... and {self.total - len(self.shown):,} more")
        return out


class InputError(Exception):
    """The input has problems; nothing was written. ``problems`` lists them."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        noun = "problem" if problems.total == 1 else "problems"
        super().__init__(f"{problems.total:,} {noun} found; nothing was written")


@dataclass(frozen=True)
class Row:
    """One record as read from a file: raw field values (only those given) and where."""

    at: Location
    raw: dict[str, Any]
