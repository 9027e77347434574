"""What the screens look like, at 80x24 and 120x40, on the sample firm with the clock pinned.

Regenerate with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the
SVGs under ``tests/tui/__snapshots__`` before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from kpotui.store import open_store
from kpotui.tui.app import KpoApp
from tests.tui.conftest import settle
from tests.tui.helpers import add_provider, move_to

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def after(*keys: str) -> Callable[[Pilot[Any]], Any]:
    """A ``run_before`` that waits for the data, presses ``keys`` (settling after each)."""

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_dashboard(
    snap_compare: Any, make_app: Callable[..., KpoApp], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=after())


@pytest.mark.parametrize("size", SIZES)
def test_contracts_table(
    snap_compare: Any, make_app: Callable[..., KpoApp], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=after("2"))


@pytest.mark.parametrize("size", SIZES)
def test_contract_detail(
    snap_compare: Any, make_app: Callable[..., KpoApp], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=after("2", "enter"))


@pytest.mark.parametrize("size", SIZES)
def test_contract_form(
    snap_compare: Any, make_app: Callable[..., KpoApp], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=after("2", "e"))


# -- each kind's detail screen, its references drawn as links (the contract's is above) --

NOTE_WITH_LINKS = ("title", "Runbook: monthly model refresh pack intake")
DETAILS = [
    pytest.param("6", None, id="provider"),
    pytest.param("3", None, id="deliverable"),
    pytest.param("4", ("name", "Coverage financial model maintenance"), id="activity"),
    pytest.param("5", NOTE_WITH_LINKS, id="note"),
    pytest.param("7", None, id="decision"),
]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("screen", "row"), DETAILS)
def test_record_detail(
    snap_compare: Any,
    make_app: Callable[..., KpoApp],
    size: tuple[int, int],
    screen: str,
    row: tuple[str, str] | None,
) -> None:
    async def run(pilot: Pilot[Any]) -> None:
        await after(screen)(pilot)
        if row is not None:
            await move_to(pilot, *row)
        await after("enter")(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run)


# -- every list, help, an empty database, emoji names (80 and 120 columns) -------------

LISTS = {
    "deliverables": ("3",),
    "activities": ("4",),
    "notes": ("5",),
    "providers": ("6",),
    "decisions": ("7",),
    "rates": ("comma", "x"),
}
"""The list screens besides contracts (above), and the keys that reach each. Not the
changes screen: it shows when the sample firm was built, a new time on every run."""


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", list(LISTS))
def test_list_screen(
    snap_compare: Any, make_app: Callable[..., KpoApp], size: tuple[int, int], screen: str
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=after(*LISTS[screen]))


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(
    snap_compare: Any, make_app: Callable[..., KpoApp], size: tuple[int, int]
) -> None:
    run = after("2", "enter", "question_mark")
    assert snap_compare(make_app(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_provider_impact(
    snap_compare: Any, make_app: Callable[..., KpoApp], size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=after("6", "down", "x"))


@pytest.mark.parametrize("size", SIZES)
def test_contract_exit_tab(
    snap_compare: Any, make_app: Callable[..., KpoApp], size: tuple[int, int]
) -> None:
    keys = ("2", "enter", *["right_square_bracket"] * 5)
    assert snap_compare(make_app(), terminal_size=size, run_before=after(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_contract_sla_tab(
    snap_compare: Any, make_app: Callable[..., KpoApp], size: tuple[int, int]
) -> None:
    keys = ("2", "enter", "left_square_bracket")  # SLA is the last tab
    assert snap_compare(make_app(), terminal_size=size, run_before=after(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_provider_trend_chart(
    snap_compare: Any, make_app: Callable[..., KpoApp], size: tuple[int, int]
) -> None:
    keys = ("6", "enter", "left_square_bracket")  # Trend is the last tab
    assert snap_compare(make_app(), terminal_size=size, run_before=after(*keys))


@pytest.mark.parametrize("size", SIZES)
def test_agenda(snap_compare: Any, make_app: Callable[..., KpoApp], size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=after("8"))


@pytest.mark.parametrize("size", SIZES)
def test_empty_database_dashboard(
    snap_compare: Any, make_app: Callable[..., KpoApp], tmp_path: Path, size: tuple[int, int]
) -> None:
    empty = tmp_path / "empty.db"
    open_store(str(empty)).close()
    empty.chmod(0o600)
    assert snap_compare(make_app(db=empty), terminal_size=size, run_before=after())


@pytest.mark.parametrize("size", SIZES)
def test_emoji_provider_names(
    snap_compare: Any, make_app: Callable[..., KpoApp], firm_db: Path, size: tuple[int, int]
) -> None:
    add_provider(firm_db, "⚖️ Legal 🗑️")
    assert snap_compare(make_app(), terminal_size=size, run_before=after("6", "end"))


@pytest.mark.parametrize("size", SIZES)
def test_search_screen(
    snap_compare: Any, make_app: Callable[..., KpoApp], size: tuple[int, int]
) -> None:
    keys = ("g", *"meridian")
    assert snap_compare(make_app(), terminal_size=size, run_before=after(*keys))
