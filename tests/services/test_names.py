"""The closest name offered when a filter names a record that does not exist."""

from __future__ import annotations

from kpotui.services.names import closest

PROVIDERS = ["Meridian Analytics Pvt Ltd", "Meridian", "Thornbury Regulatory Advisory Ltd"]


def test_the_shortest_name_holding_the_given_one_any_case() -> None:
    assert closest("MERIDIAN ", PROVIDERS[:1]) == "Meridian Analytics Pvt Ltd"
    assert closest("merid", PROVIDERS) == "Meridian"


def test_else_the_nearest_spelling() -> None:
    assert closest("Thornbery Regulatory", PROVIDERS) == "Thornbury Regulatory Advisory Ltd"


def test_nothing_when_nothing_is_near() -> None:
    assert closest("zzz", PROVIDERS) is None
    assert closest("anything", []) is None
