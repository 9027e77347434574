"""Finding records of every kind by name, code or title: the palette's and search's query."""

from __future__ import annotations

from typing import Any

from kpotui.services.find_records import find_records, snippet, words_in
from kpotui.store import Store
from tests.services import factories as make


def _firm(store: Store) -> None:
    make.provider(store, "Meridian Analytics")
    make.provider(store, "Atlas Research")
    make.contract(store, "ENG-2024-002", "Meridian Analytics", title="Earnings previews")
    make.contract(store, "OPS-2023-001", "Atlas Research", title="Engine room support")
    make.task(store, "Model upkeep")
    make.deliverable(store, "Q1 model pack", "ENG-2024-002")
    make.note(
        store,
        "Runbook for the pack",
        body="Step one: open the workbook. " + "Filler words here. " * 10 + "Then press zebra.",
    )
    make.decision(store, "Changed the data source", contract="ENG-2024-002")


def _found(store: Store, query: str, **args: Any) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in find_records(store, query, **args)]


def test_each_kind_is_found_by_its_name(store: Store) -> None:
    _firm(store)
    assert _found(store, "ENG-2024") == [("contract", "ENG-2024-002")]
    assert _found(store, "meridian") == [("provider", "Meridian Analytics")]
    assert _found(store, "upkeep") == [("task", "Model upkeep")]
    assert _found(store, "q1 model") == [("deliverable", "Q1 model pack")]
    assert _found(store, "runbook") == [("note", "Runbook for the pack")]
    assert _found(store, "DATA SOURCE") == [("decision", "Changed the data source")]


def test_a_contract_is_found_by_its_title_and_shows_it(store: Store) -> None:
    _firm(store)
    (found,) = find_records(store, "previews")
    assert (found.kind, found.text, found.detail) == (
        "contract",
        "ENG-2024-002",
        "Earnings previews",
    )


def test_prefix_matches_come_first(store: Store) -> None:
    _firm(store)
    make.task(store, "Engagement review")
    make.task(store, "Re-engineering")
    found = [f.text for f in find_records(store, "eng") if f.kind == "task"]
    assert found == ["Engagement review", "Re-engineering"]
    contracts = [f.text for f in find_records(store, "en") if f.kind == "contract"]
    assert contracts == ["ENG-2024-002", "OPS-2023-001"]  # the second by its title


def test_each_kind_is_limited(store: Store) -> None:
    make.provider(store)
    make.contract(store)
    for n in range(7):
        make.deliverable(store, f"Pack {n}")
    for n in range(4):
        make.deliverable(store, f"Monthly pack {n}")
    found = find_records(store, "pack", limit=5)
    texts = [f.text for f in found if f.kind == "deliverable"]
    assert len(texts) == 5
    assert texts == sorted(texts) and all(t.startswith("Pack") for t in texts)
    assert [f.text for f in find_records(store, "monthly", limit=2)] == [
        "Monthly pack 0",
        "Monthly pack 1",
    ]


def test_a_note_is_found_by_its_body_with_a_snippet(store: Store) -> None:
    _firm(store)
    (found,) = find_records(store, "zebra")
    assert found.kind == "note"
    assert "press zebra" in found.snippet
    assert found.snippet.startswith("…")
    assert len(found.snippet) < 90


def test_deliverables_and_decisions_name_their_contract(store: Store) -> None:
    _firm(store)
    (deliverable,) = find_records(store, "q1 model")
    assert deliverable.detail == "ENG-2024-002"
    (decision,) = find_records(store, "changed")
    assert decision.detail == "ENG-2024-002 · 2025-05-01"


def test_like_wildcards_are_taken_literally(store: Store) -> None:
    _firm(store)
    make.task(store, "Cost 100% covered")
    assert _found(store, "100%") == [("task", "Cost 100% covered")]
    assert _found(store, "_") == []


def test_nothing_for_a_blank_query(store: Store) -> None:
    _firm(store)
    assert find_records(store, "   ") == []


def test_snippet_starts_at_a_word_and_flattens_lines() -> None:
    body = "alpha beta\ngamma delta epsilon zeta eta theta iota kappa lambda mu"
    shown = snippet(body, "kappa", width=30)
    assert shown.startswith("…") and "kappa" in shown and "\n" not in shown
    assert snippet("short body", "missing") == "short body"


def test_words_in_finds_every_occurrence_ignoring_case() -> None:
    assert words_in("Pack and PACK", "pack") == [(0, 4), (9, 13)]
    assert sorted(words_in("Q1 model pack", "model q1")) == [(0, 2), (3, 8)]


def test_a_list_filter_looks_in_the_fields_it_is_given(store: Store) -> None:
    from kpotui.services.listing import ListFilter

    _firm(store)
    by_provider = ListFilter(text="meridian", text_fields=("code", "title", "provider"))
    assert [c["code"] for c in make.listed(store, "contract", by_provider)] == ["ENG-2024-002"]
    assert make.listed(store, "contract", ListFilter(text="meridian")) == []


def test_without_everywhere_a_name_prefix_stops_the_search_anywhere(store: Store) -> None:
    _firm(store)
    make.task(store, "Q1 planning")
    everywhere = _found(store, "q1")
    assert ("deliverable", "Q1 model pack") in everywhere and ("task", "Q1 planning") in everywhere
    prefix_only = _found(store, "planning", everywhere=False)
    assert prefix_only == [("task", "Q1 planning")]  # nothing starts with it: anywhere
    assert _found(store, "model", everywhere=False) == [("task", "Model upkeep")]
    assert ("deliverable", "Q1 model pack") in _found(store, "model")


def test_words_in_keeps_positions_where_lowering_lengthens_text() -> None:
    assert words_in("İstanbul pack", "pack") == [(9, 13)]
