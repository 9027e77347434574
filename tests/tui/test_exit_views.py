"""``x`` on a provider opens what breaks if it goes; a contract's Exit tab shows its plan
and every deduction of its readiness (the figures are the services', tested there)."""

from __future__ import annotations

from collections.abc import Callable

from kpotui.tui.app import KpoApp
from kpotui.tui.screens.impact import ImpactScreen
from tests.tui.conftest import settle
from tests.tui.helpers import move_to, screen_text


async def test_x_on_a_provider_opens_its_impact_and_escape_closes_it(
    make_app: Callable[..., KpoApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        await move_to(pilot, "name", "Meridian Analytics Pvt Ltd")
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ImpactScreen)
        text = screen_text(app)
        assert "If provider Meridian Analytics Pvt Ltd goes" in text
        assert "taking the work back / month (in-house)" in text
        assert "Activities they cover" in text and "Irreversible decisions" in text
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ImpactScreen)


async def test_x_on_a_provider_detail_opens_its_impact(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        await move_to(pilot, "name", "Meridian Analytics Pvt Ltd")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ImpactScreen)
        assert "If provider Meridian Analytics Pvt Ltd goes" in screen_text(app)


async def test_x_is_not_offered_on_other_detail_screens(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(pilot)
        await pilot.press("2", "enter")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert not isinstance(app.screen, ImpactScreen)


async def test_the_exit_tab_shows_the_plan_and_the_deductions(
    make_app: Callable[..., KpoApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(pilot)
        await pilot.press("2", "enter")
        await settle(pilot)
        app.screen.query_one("#tabs").active = "tab-exit"  # type: ignore[attr-defined]
        await settle(pilot)
        text = screen_text(app)
        assert "Gaps: readiness" in text
        assert "no alternative named" in text
        assert "what comes back" in text
