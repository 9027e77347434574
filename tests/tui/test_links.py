"""Following a record's references up (deliverable to contract to provider...) and back."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import TabPane

from kpotui.services.fields import KINDS, FieldType
from kpotui.tui.app import KpoApp
from kpotui.tui.messages import OpenRecord
from kpotui.tui.screens import MAIN_SCREENS
from kpotui.tui.screens.help import HelpScreen
from kpotui.tui.screens.list_screen import ListScreen
from kpotui.tui.screens.record_detail import RecordDetailScreen, link_bindings
from kpotui.tui.widgets.overview import Overview
from tests.tui.conftest import settle
from tests.tui.helpers import move_to

SCREEN_KEY = {s.kind: s.key for s in MAIN_SCREENS if s.kind}
LINK_KEY = {"contract": "C", "provider": "P", "task": "A"}
NOTE = "Runbook: monthly model refresh pack intake"
"""A note of the sample firm naming a contract, an activity and a provider."""

LINKS = [
    pytest.param("deliverable", None, "contract", id="deliverable-contract"),
    pytest.param("contract", None, "provider", id="contract-provider"),
    pytest.param(
        "task", ("name", "Coverage financial model maintenance"), "contract", id="activity-contract"
    ),
    pytest.param("note", ("title", NOTE), "contract", id="note-contract"),
    pytest.param("note", ("title", NOTE), "task", id="note-activity"),
    pytest.param("note", ("title", NOTE), "provider", id="note-provider"),
    pytest.param("decision", None, "contract", id="decision-contract"),
]


def detail(app: KpoApp) -> RecordDetailScreen:
    screen = app.screen
    assert isinstance(screen, RecordDetailScreen) and screen.record is not None
    return screen


async def open_from_list(pilot: Pilot[None], kind: str, row: tuple[str, str] | None) -> None:
    """Go to the list of ``kind``, put the cursor on ``row`` (column, value) and open it."""
    await pilot.press(SCREEN_KEY[kind])
    await settle(pilot)
    if row is not None:
        await move_to(pilot, *row)
    await pilot.press("enter")
    await settle(pilot)


def shows(screen: RecordDetailScreen, kind: str, key: str) -> bool:
    assert screen.record is not None
    return screen.spec.name == kind and screen.record[screen.spec.key[0]] == key


@pytest.mark.parametrize(("kind", "row", "field"), LINKS)
async def test_a_reference_opens_its_record_and_back_goes_to_where_it_started(
    make_app: Callable[..., KpoApp], kind: str, row: tuple[str, str] | None, field: str
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_from_list(pilot, kind, row)
        start = detail(app)
        assert start.spec.name == kind
        target = start.spec.field(field).ref or ""
        named = start.record[field] if start.record else None
        assert named is not None, "the sample record must hold this reference"

        await pilot.press(LINK_KEY[field])
        await settle(pilot)
        assert shows(detail(app), target, named)
        await pilot.press("backspace")
        await settle(pilot)
        assert app.screen is start

        overview = start.query_one(Overview)
        assert app.focused is overview
        while overview.current_link is None or overview.current_link.field != field:
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert shows(detail(app), target, named)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is start
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ListScreen) and kind == app.screen.KIND


async def test_links_go_up_a_path_and_back_down_it(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_from_list(pilot, "deliverable", None)
        deliverable = detail(app)
        await pilot.press("C")
        await settle(pilot)
        contract = detail(app)
        await pilot.press("P")
        await settle(pilot)
        assert detail(app).spec.name == "provider"
        for back_to in (contract, deliverable):
            await pilot.press("backspace")
            await settle(pilot)
            assert app.screen is back_to
        await pilot.press("backspace")
        await settle(pilot)
        assert isinstance(app.screen, ListScreen) and app.screen.KIND == "deliverable"


async def test_the_palette_offers_each_link_with_the_record_it_names(
    make_app: Callable[..., KpoApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_from_list(pilot, "note", ("title", NOTE))
        note = detail(app).record
        assert note is not None
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        offered = {title for title in commands if title.startswith("Open its ")}
        assert offered == {
            f"Open its contract {note['contract']}",
            f"Open its activity {note['task']}",
            f"Open its provider {note['provider']}",
        }
        commands[f"Open its activity {note['task']}"].callback()
        await settle(pilot)
        assert shows(detail(app), "task", note["task"])


async def test_a_missing_reference_is_no_link(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_from_list(
            pilot, "note", ("title", "Model conventions: share counts, SBC and leases")
        )
        start = detail(app)
        assert start.record is not None and start.record["provider"] is None
        assert [link.field for link in start.query_one(Overview).links] == ["task"]
        await pilot.press("P")
        await settle(pilot)
        assert app.screen is start


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "rate"])
async def test_every_reference_has_a_key_and_every_referring_kind_a_tab(
    make_app: Callable[..., KpoApp], kind: str
) -> None:
    """Worked out from the field definitions here, so that a kind given a new reference
    must show it both ways."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.post_message(OpenRecord(kind, 1))
        await settle(pilot)
        screen = detail(app)
        refs = {f.name for f in KINDS[kind].fields if f.type is FieldType.REF}
        followed = {
            active.binding.action
            for active in screen.active_bindings.values()
            if active.binding.action.startswith("follow(")
        }
        assert followed == {f"follow('{name}')" for name in refs}
        referring = {
            other.name
            for other in KINDS.values()
            if any(f.type is FieldType.REF and f.ref == kind for f in other.fields)
        }
        tabs = {pane.id for pane in screen.query(TabPane)} - FIGURE_TABS.get(kind, set())
        assert tabs == {"tab-overview", "tab-history"} | {f"tab-{name}" for name in referring}


FIGURE_TABS = {"contract": {"tab-exit", "tab-sla"}, "provider": {"tab-trend"}}
"""Tabs of figures worked out for the record, not records that refer to it."""


def test_each_kind_of_reference_has_a_key_no_other_binding_takes() -> None:
    links = link_bindings()
    others = [
        key
        for binding in [*RecordDetailScreen.BINDINGS, *KpoApp.BINDINGS]
        if isinstance(binding, Binding) and binding not in links
        for key in binding.key.split(",")
    ]
    keys = [binding.key for binding in links]
    assert {f.name for spec in KINDS.values() for f in spec.refs} == {
        binding.action.removeprefix("follow('").removesuffix("')") for binding in links
    }
    assert len(set(keys)) == len(keys)
    assert not set(keys) & set(others)


async def test_help_lists_the_link_keys_and_the_way_back(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_from_list(pilot, "note", ("title", NOTE))
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        listed = {(key, does) for key, does, _ in app.screen.keys}
        assert {
            ("C", "Open its contract"),
            ("A", "Open its activity"),
            ("P", "Open its provider"),
            ("⏎", "Open link"),
            ("esc", "Back"),
            ("⌫", "Back"),
        } <= listed
