"""Keyset paging over a column that cannot be NULL (the row-value path), with many ties."""

from __future__ import annotations

from typing import Any

from kpotui.services import listing
from kpotui.store import Store
from tests.services import factories as make

DAYS = ["2025-06-03", "2025-06-01", "2025-06-02"]


def _firm(store: Store) -> list[tuple[str, int]]:
    """23 deliverables on three due dates; returns (due_date, id) of each."""
    make.provider(store)
    make.contract(store, "ENG-1")
    make.contract(store, "OPS-9")
    made = []
    for n in range(23):
        record = make.deliverable(
            store, f"D{n:02d}", "OPS-9" if n % 5 == 0 else "ENG-1", due_date=DAYS[n % 3]
        )
        made.append((record["due_date"].isoformat(), record["id"]))
    return made


def _walk(store: Store, **args: Any) -> list[int]:
    """Every id, page by page forwards."""
    seen: list[int] = []
    cursor = None
    while True:
        chunk = listing.page(store, "deliverable", after=cursor, limit=4, **args)
        seen += [r["id"] for r in chunk]
        if len(chunk) < 4:
            return seen
        cursor = listing.cursor_of(chunk[-1], args.get("sort"), "deliverable")


def _walk_back(store: Store, **args: Any) -> list[int]:
    """Every id, page by page backwards from the last page."""
    seen: list[int] = []
    before: listing.Cursor = listing.END
    while True:
        chunk = listing.page(store, "deliverable", before=before, limit=4, **args)
        seen = [r["id"] for r in chunk] + seen
        if len(chunk) < 4:
            return seen
        before = listing.cursor_of(chunk[0], args.get("sort"), "deliverable")


def test_default_order_pages_the_same_forwards_and_backwards(store: Store) -> None:
    made = _firm(store)
    expected = [record_id for _, record_id in sorted(made)]
    assert _walk(store) == expected
    assert _walk_back(store) == expected


def test_descending_order_over_ties(store: Store) -> None:
    made = _firm(store)
    expected = [record_id for _, record_id in sorted(made, reverse=True)]
    assert _walk(store, sort="due_date", descending=True) == expected
    assert _walk_back(store, sort="due_date", descending=True) == expected
    cursor = listing.seek(store, "deliverable", 7, sort="due_date", descending=True)
    assert cursor is not None and cursor[2] == expected[6]


def test_text_filter_finds_by_the_referenced_key_and_counts_without_joins(store: Store) -> None:
    _firm(store)
    by_code = listing.ListFilter(text="ops-")
    assert listing.count(store, "deliverable", by_code) == 5
    assert {r["contract"] for r in listing.page(store, "deliverable", flt=by_code)} == {"OPS-9"}
    assert listing.count(store, "deliverable", listing.ListFilter(text="d1")) == 10
    assert listing.count(store, "deliverable", listing.ListFilter(text="100%")) == 0
