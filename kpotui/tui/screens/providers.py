"""Screen 6: the providers, with how reliable and how costly each one is."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from kpotui.services.horizons import CERTIFICATE_WARNING_DAYS
from kpotui.tui.screens.list_screen import ListScreen
from kpotui.tui.widgets.filter_bar import Choice, Option


class ProvidersScreen(ListScreen):
    """Providers with on-time rate, quality, spend, certification expiry and review age."""

    KIND = "provider"
    HELP = (
        "The outside firms doing the work. On time is the share of delivered deliverables "
        "The outside firms doing the work. On time is the share of delivered deliverables "
        "first submitted by their due date (a submission sent back stays late); Trend its "
        "on-time % per quarter over the last eight (· nothing settled); Quality "
        "the average review score (1-5); Spend the value of live contracts, active or on "
        "hold (+N: in N more currencies). Red: a certification has "
        f"expired; yellow: it expires within {CERTIFICATE_WARNING_DAYS} days. Sec. review: "
        "days since the last security review. Enter opens a provider with its contracts "
        "and notes; x shows what breaks if it goes (impact)."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "impact", "Impact", id="providers.impact"),
    ]
    FILTERS = (
        Choice(
            "model",
            (
                Option("any", "any delivery model"),
                *(
                    Option(m, m, {"delivery_model": m})
                    for m in ("offshore", "nearshore", "onshore", "captive")
                ),
            ),
        ),
    )

    def action_impact(self) -> None:
        from kpotui.tui.screens.impact import ImpactScreen

        provider_id = self._current_id()
        if provider_id is not None:
            self.app.push_screen(ImpactScreen(provider_id))
