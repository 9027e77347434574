"""What the screens look like, at 80x24 and 120x40, on the sample firm with the clock pinned.

Regenerate with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at the
SVGs under ``tests/tui/__snapshots__`` before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from kpotui.tui.app import KpoApp
from tests.tui.conftest import settle

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


@pytest.mark.parametrize("size", SIZES)
def test_search_screen(
    snap_compare: Any, make_app: Callable[..., KpoApp], size: tuple[int, int]
) -> None:
    keys = ("g", *"meridian")
    assert snap_compare(make_app(), terminal_size=size, run_before=after(*keys))
