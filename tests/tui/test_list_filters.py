"""A list's ``/`` filter looks in every text column the list shows."""

from __future__ import annotations

import tomllib
from collections.abc import Callable

from kpotui.tui.app import KpoApp
from tests.tui.conftest import settle
from tests.tui.helpers import column_values, filter_by, table
from tests.tui.sample_firm import SAMPLE


def _sample(kind: str) -> list[dict[str, object]]:
    with SAMPLE.open("rb") as handle:
        records: list[dict[str, object]] = tomllib.load(handle)[kind]
    return records


async def test_contracts_filter_finds_the_provider_column(make_app: Callable[..., KpoApp]) -> None:
    meridian = {c["code"] for c in _sample("contracts") if "Meridian" in str(c["provider"])}
    assert len(meridian) >= 2
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        everything = table(app).row_count
        await filter_by(pilot, "meridian")
        await pilot.press("enter")
        await settle(pilot)
        assert table(app).row_count == len(meridian) < everything
        assert set(await column_values(pilot, "code")) == meridian


async def test_notes_filter_finds_the_author_column(make_app: Callable[..., KpoApp]) -> None:
    notes = _sample("notes")
    author = next(str(n["author"]) for n in notes if n.get("author"))
    surname = author.split()[-1]
    written = {n["title"] for n in notes if surname in str(n.get("author", ""))}
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        await filter_by(pilot, surname.lower())
        await pilot.press("enter")
        await settle(pilot)
        assert written <= set(await column_values(pilot, "title"))
