"""Jump to any record: the command palette and the search screen (``g``, ``ctrl+f``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from kpotui.services import listing
from kpotui.store import open_store
from kpotui.tui.app import KpoApp
from kpotui.tui.found import MATCH_STYLE
from kpotui.tui.screens.record_detail import RecordDetailScreen
from kpotui.tui.screens.search import SearchScreen
from tests.tui.conftest import settle

NAME = {
    "contract": "code",
    "provider": "name",
    "task": "name",
    "note": "title",
    "deliverable": "title",
    "decision": "summary",
}


def _named_once(db: Path, kind: str) -> tuple[int, str]:
    """(id, name) of a record of ``kind`` whose name no other record of it has."""
    store = open_store(str(db))
    try:
        records = listing.page(store, kind, limit=1000)
    finally:
        store.close()
    names = Counter(r[NAME[kind]] for r in records)
    record = next(r for r in records if names[r[NAME[kind]]] == 1)
    return record["id"], record[NAME[kind]]


@pytest.mark.parametrize("kind", list(NAME))
async def test_the_palette_opens_a_record_by_its_name(
    make_app: Callable[..., KpoApp], firm_db: Path, kind: str
) -> None:
    record_id, name = _named_once(firm_db, kind)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        search = app.focused
        assert isinstance(search, Input)
        search.value = name
        await settle(pilot)
        await pilot.pause(0.5)  # the palette shows its hits after a short delay
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RecordDetailScreen)
        assert (screen.spec.name, screen.record_id) == (kind, record_id)


async def test_search_screen_highlights_and_opens(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    record_id, name = _named_once(firm_db, "provider")
    word = name.split()[0]
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*word.lower())
        await settle(pilot)
        results = app.screen.query_one("#search-results", OptionList)
        prompts = [results.get_option_at_index(i).prompt for i in range(results.option_count)]
        line = next(p for p in prompts if name in str(p))
        highlighted = [line.plain[s.start : s.end] for s in line.spans if s.style == MATCH_STYLE]
        assert word in highlighted
        await pilot.press("down")
        assert app.focused is results
        index = next(i for i, p in enumerate(prompts) if p is line)
        results.highlighted = index
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RecordDetailScreen)
        assert (screen.spec.name, screen.record_id) == ("provider", record_id)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, SearchScreen)


async def test_ctrl_f_opens_search_and_a_note_shows_its_body(
    make_app: Callable[..., KpoApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"airflow")
        await settle(pilot)
        results = app.screen.query_one("#search-results", OptionList)
        prompts = [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]
        assert "Notes" in prompts
        assert any("\n" in p and "airflow" in p.split("\n")[1].lower() for p in prompts)
