"""``u`` undoes your own last change after asking, and refuses when someone else came after."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from kpotui.services import audit, records, writes
from kpotui.store import open_store
from kpotui.tui.app import KpoApp
from kpotui.tui.dialogs.confirm import ConfirmDialog
from kpotui.tui.dialogs.record_form import RecordForm
from kpotui.tui.screens.help import HelpScreen
from tests.tui.conftest import settle
from tests.tui.helpers import (
    add_provider,
    move_to,
    notices,
    screen_text,
    show_provider,
    table,
    type_in,
)

CODE = "ENG-2023-004"
OLD_TITLE = "Coverage model maintenance - US Industrials and Healthcare"


def stored_title(db: Path) -> object:
    store = open_store(str(db))
    try:
        found = records.find(store, "contract", {"code": CODE})
        assert found is not None
        return found["title"]
    finally:
        store.close()


async def shown_title(pilot: Pilot[None]) -> str:
    await move_to(pilot, "code", CODE)
    row = table(pilot.app).current_row
    assert row is not None
    return row.cells[[c.key for c in table(pilot.app).columns].index("title")]


async def edit_title_in_the_form(pilot: Pilot[None], title: str) -> None:
    await pilot.press("2")
    await settle(pilot)
    await move_to(pilot, "code", CODE)
    await pilot.press("e")
    await settle(pilot)
    assert isinstance(pilot.app.screen, RecordForm)
    await type_in(pilot, "title", title)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_u_undoes_the_last_edit_after_saying_what_it_was(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await edit_title_in_the_form(pilot, "Coverage models")
        assert stored_title(firm_db) == "Coverage models"
        assert await shown_title(pilot) == "Coverage models"

        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        question = screen_text(app)
        assert "update of contract" in question and CODE in question and "title" in question
        await pilot.press("y")
        await settle(pilot)

        assert stored_title(firm_db) == OLD_TITLE
        assert await shown_title(pilot) == OLD_TITLE
        assert any(n.startswith("Undo: Undone: your update of contract") for n in notices(app))


async def test_help_lists_the_undo_key(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert ("u", "Undo your last change", "app.undo") in help_screen.keys


async def test_answering_no_undoes_nothing(make_app: Callable[..., KpoApp], firm_db: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await edit_title_in_the_form(pilot, "Coverage models")
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert stored_title(firm_db) == "Coverage models"


async def test_u_refuses_when_someone_else_changed_the_record_since(
    make_app: Callable[..., KpoApp], firm_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await edit_title_in_the_form(pilot, "Coverage models")
        with monkeypatch.context() as behind_the_back:
            behind_the_back.setattr(audit, "current_actor", lambda: "colleague")
            store = open_store(str(firm_db))
            try:
                mine = records.find(store, "contract", {"code": CODE})
                assert mine is not None
                writes.update(
                    store, "contract", mine["id"], {"title": "Theirs"}, version=mine["version"]
                )
            finally:
                store.close()

        await pilot.press("u")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        refusal = [n for n in notices(app) if "cannot undo" in n]
        assert refusal and "colleague changed contract" in refusal[0]
        assert stored_title(firm_db) == "Theirs"


async def test_u_in_read_only_mode_says_why_and_changes_nothing(
    make_app: Callable[..., KpoApp],
) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert any("read-only" in n for n in notices(app))


async def test_opening_a_database_others_can_read_warns(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    os.chmod(firm_db, 0o644)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        warnings = [n for n in notices(app) if n.startswith("Warning:")]
        assert len(warnings) == 1
        assert "every account on this machine" in warnings[0] and "chmod 600" in warnings[0]


async def test_undoing_the_creation_of_the_record_on_screen_closes_its_screen(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    add_provider(firm_db, "Zeta Research")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await show_provider(pilot, "Zeta Research")
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert "Zeta Research" in screen_text(app)

        await pilot.press("u")
        await settle(pilot)
        assert "creation of provider" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)

        assert app.screen is not detail
        assert any("Zeta Research no longer exists" in n for n in notices(app))
        assert "Zeta Research" not in screen_text(app)
