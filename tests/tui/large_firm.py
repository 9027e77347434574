"""The sample firm grown to 200,000 deliverables, for running the pilot tests at scale.

The extra work belongs to one archive provider and its completed contracts and was all
accepted on time years ago, so every answer the tests expect from the sample firm (what is
overdue, due soon, at risk, up for renewal) stays the same while every query and table of
deliverables has 200,000 more rows to go through. The rows go through the normal import
path (:func:`import_sources`), generated as they are read so memory stays flat.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from kpotui.interchange.importer import import_sources
from kpotui.interchange.problems import InputError, Location, Problems, Row
from kpotui.services.fields import KindSpec
from kpotui.store import Store

DELIVERABLES = 200_000
CONTRACTS = 20
PROVIDER = "Zephyr Archive Services Ltd"
FIRST_DUE = date(2015, 1, 5)
"""Every extra deliverable was due, submitted and accepted between this day and 2020."""


def contract_code(number: int) -> str:
    return f"ZZA-{number:03d}"


def archive_rows(kind: str) -> Iterator[dict[str, str]]:
    """The raw values (as a CSV file would hold them) of the extra records of ``kind``."""
    if kind == "provider":
        yield {"name": PROVIDER, "country": "IE", "delivery_model": "nearshore"}
    elif kind == "contract":
        for number in range(CONTRACTS):
            yield {
                "code": contract_code(number),
                "title": f"Archive digitisation, lot {number}",
                "provider": PROVIDER,
                "service_line": "data-analytics",
                "status": "completed",
                "start_date": "2015-01-01",
                "end_date": "2020-12-31",
            }
    elif kind == "deliverable":
        for number in range(DELIVERABLES):
            due = (FIRST_DUE + timedelta(days=number % 2_000)).isoformat()
            yield {
                "contract": contract_code(number % CONTRACTS),
                "title": f"Archive batch {number:06d}",
                "due_date": due,
                "status": "accepted",
                "submitted_date": due,
                "accepted_date": due,
                "quality_score": str(4 + number % 2),
            }


class ArchiveSource:
    """An import source (like a CSV file) of the archive provider's records."""

    file = "archive"
    kinds = {"provider", "contract", "deliverable"}

    def rows(self, spec: KindSpec, problems: Problems) -> Iterator[Row]:
        for line, raw in enumerate(archive_rows(spec.name), start=2):
            yield Row(Location(self.file, line=line), raw)


def add_archive(store: Store) -> None:
    """Import the archive provider, its contracts and 200,000 accepted deliverables."""
    problems = Problems()
    import_sources(store, [ArchiveSource()], problems=problems)
    if problems:
        raise InputError(problems)
