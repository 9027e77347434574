"""A list of values in ``ListFilter.equals`` keeps the records matching any of them."""

from __future__ import annotations

from kpotui.services import listing
from kpotui.store import Store
from tests.services import factories as make


def test_equals_with_a_list_matches_any_value_in_any_spelling(store: Store) -> None:
    make.provider(store)
    make.contract(store)
    for title, status in [("a", "planned"), ("b", "rework"), ("c", "accepted"), ("d", "planned")]:
        make.deliverable(store, title, status=status)

    flt = listing.ListFilter(equals={"status": ["Planned", "REWORK"]})
    found = listing.page(store, "deliverable", flt=flt, sort="title")

    assert [r["title"] for r in found] == ["a", "b", "d"]
    assert listing.count(store, "deliverable", flt) == 3


def test_equals_with_a_list_of_references(store: Store) -> None:
    make.provider(store)
    for code in ("ENG-1", "ENG-2", "ENG-3"):
        make.contract(store, code)
        make.deliverable(store, f"pack {code}", contract=code)

    flt = listing.ListFilter(equals={"contract": ("ENG-1", "ENG-3")})

    assert [r["contract"] for r in make.listed(store, "deliverable", flt)] == [
        "ENG-1",
        "ENG-3",
    ]
