"""The app never writes a control character from the data to the terminal, and never reads
a name as markup: older data (stored by SQL here, as another tool would) shows escaped."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text
from textual.widgets import Input, Static

from kpotui.store import open_store
from kpotui.tui.app import KpoApp
from tests.tui.conftest import settle
from tests.tui.helpers import move_to, notices, screen_text, type_in

PROVIDER = "Evil\x1b[2J\x1b]0;pwned\x07[bold]Corp[/]\u202eexe\x9b"
SHOWN = "Evil\\x1b[2J\\x1b]0;pwned\\x07[bold]Corp[/]\\u202eexe\\x9b"
NOTE_BODY = "# Runbook\r\n\nStep one\x1b]52;c;cm0K\x07 then\rtwo\x7f"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_nothing_raw(app: KpoApp, what: str) -> None:
    found = sorted(set(UNSAFE.findall(screen_text(app))))
    assert not found, f"{what} shows raw {found}"


def make_hostile(db: Path) -> str:
    """Rename the provider with the most contracts, and give one note a hostile body;
    returns the note's title."""
    store = open_store(str(db))
    try:
        with store.write() as conn:
            busiest = conn.execute(
                text("SELECT provider_id FROM contract GROUP BY provider_id ORDER BY count(*) DESC")
            ).first()
            assert busiest is not None
            conn.execute(
                text("UPDATE provider SET name = :name WHERE id = :id"),
                {"name": PROVIDER, "id": busiest[0]},
            )
            note = conn.execute(text("SELECT id, title FROM note ORDER BY id")).first()
            assert note is not None
            conn.execute(
                text("UPDATE note SET body = :body WHERE id = :id"),
                {"body": NOTE_BODY, "id": note[0]},
            )
            return str(note[1])
    finally:
        store.close()


async def test_a_hostile_name_shows_escaped_on_every_screen_it_reaches(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    make_hostile(firm_db)
    app = make_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        assert_nothing_raw(app, "the dashboard")
        await pilot.press("6")
        await settle(pilot)
        assert_nothing_raw(app, "the providers list")
        assert "pwned" in screen_text(app)
        await move_to(pilot, "name", PROVIDER)
        await pilot.press("enter")
        await settle(pilot)
        assert_nothing_raw(app, "the provider's screen")
        title = str(app.screen.query_one(".detail-title", Static).render())
        assert title == f"Provider {SHOWN}"  # escaped, and [bold] as typed, not as markup
        await pilot.press("right_square_bracket")  # its contracts
        await settle(pilot)
        assert_nothing_raw(app, "the provider's contracts")
        await pilot.press("2")
        await settle(pilot)
        assert_nothing_raw(app, "the contracts list")


async def test_a_hostile_note_body_shows_escaped(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    title = make_hostile(firm_db)
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.press("5")
        await settle(pilot)
        await move_to(pilot, "title", title)
        await pilot.press("enter")
        await settle(pilot)
        assert_nothing_raw(app, "the note's screen")
        assert "cm0K" in screen_text(app)


async def test_a_notification_is_plain_text(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.notify(f"Saved provider {PROVIDER}", title="Saved [red]")
        await settle(pilot)
        assert notices(app) == [f"Saved [red]: Saved provider {SHOWN}"]
        assert_nothing_raw(app, "a notification")


async def test_a_form_message_quoting_the_value_is_not_markup(
    make_app: Callable[..., KpoApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_in(pilot, "start_date", "[red]soon[/]")
        message = app.screen.query(".field-message").results(Static)
        shown = [str(m.render()) for m in message if "not a date" in str(m.render())]
        assert shown == ["not a date in YYYY-MM-DD form: '[red]soon[/]'"]


async def test_search_and_palette_show_a_hostile_name_and_body_escaped(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    make_hostile(firm_db)
    app = make_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        await pilot.press("g", *"evil")
        await settle(pilot)
        assert SHOWN.removeprefix("Evil") in screen_text(app)  # "Evil" highlighted apart
        assert_nothing_raw(app, "the search screen")
        app.screen.query_one(Input).value = "step one"
        await settle(pilot)
        assert "\\x1b]52;c;cm0K\\x07" in screen_text(app)
        assert_nothing_raw(app, "a note's snippet")
        await pilot.press("escape", "ctrl+p")
        await pilot.press(*"evil")
        await settle(pilot)
        await pilot.pause(0.5)
        assert SHOWN.removeprefix("Evil") in screen_text(app)
        assert_nothing_raw(app, "the palette")
