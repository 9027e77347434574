"""Full-text search over the notes."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable

from textual.widgets import Markdown, TextArea

from kpotui.tui.app import KpoApp
from kpotui.tui.dialogs.record_form import RecordForm
from tests.tui.conftest import AT_SCALE, settle
from tests.tui.helpers import column_values, filter_by, screen_text, table, type_in
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


@AT_SCALE
async def test_slash_searches_title_body_and_tags(make_app: Callable[..., KpoApp]) -> None:
    expected = notes_mentioning("airflow")
    assert len(expected) == 2  # one through its tags, one through its body; no title has it
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        everything = table(app).row_count
        await filter_by(pilot, "airflow")
        await pilot.press("enter")
        await settle(pilot)
        assert table(app).row_count == len(expected) < everything
        assert set(await column_values(pilot, "title")) == expected
        await pilot.press("slash", "escape")
        await settle(pilot)
        assert table(app).row_count == everything


@AT_SCALE
async def test_every_word_must_match(make_app: Callable[..., KpoApp]) -> None:
    both = notes_mentioning("respondent") & notes_mentioning("screener")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        await filter_by(pilot, "respond screen")
        await pilot.press("enter")
        await settle(pilot)
        assert set(await column_values(pilot, "title")) == both


async def test_the_note_form_previews_its_markdown(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        preview = form.query_one(".preview", Markdown)
        editor = form.query_one("#field-body", TextArea)
        assert not preview.display and editor.display
        await type_in(pilot, "body", "# Fresh start\n\nOnly **this** now.")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert preview.display and not editor.display
        assert "Fresh start" in screen_text(app)
        await pilot.press("ctrl+o")
        assert editor.display and not preview.display
