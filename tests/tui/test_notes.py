"""Full-text search over the notes."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable

from kpotui.tui.app import KpoApp
from tests.tui.conftest import settle
from tests.tui.helpers import column_values, table
from tests.tui.sample_firm import SAMPLE


def notes_mentioning(word: str) -> set[str]:
    """Titles of the sample notes with a word starting with ``word`` (title, body or tags)."""
    with SAMPLE.open("rb") as handle:
        notes = tomllib.load(handle)["notes"]
    pattern = re.compile(rf"\b{re.escape(word)}", re.IGNORECASE)
    return {
        n["title"]
        for n in notes
        if pattern.search(" ".join([n["title"], n["body"], *n.get("tags", [])]))
    }


async def test_slash_searches_title_body_and_tags(make_app: Callable[..., KpoApp]) -> None:
    expected = notes_mentioning("airflow")
    assert len(expected) == 2  # one through its tags, one through its body; no title has it
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        everything = table(app).row_count
        await pilot.press("slash", *"airflow", "enter")
        await settle(pilot)
        assert table(app).row_count == len(expected) < everything
        assert set(await column_values(pilot, "title")) == expected
        await pilot.press("slash", "escape")
        await settle(pilot)
        assert table(app).row_count == everything


async def test_every_word_must_match(make_app: Callable[..., KpoApp]) -> None:
    both = notes_mentioning("respondent") & notes_mentioning("screener")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("slash", *"respond screen", "enter")
        await settle(pilot)
        assert set(await column_values(pilot, "title")) == both
