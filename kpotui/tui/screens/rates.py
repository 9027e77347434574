"""The exchange rates: per currency and date, what one unit is worth in the reporting
currency. Reached from the settings screen (x) and the command palette."""

from __future__ import annotations

from kpotui.tui.screens.list_screen import ListScreen
from kpotui.tui.widgets.filter_bar import TextChoice


class RatesScreen(ListScreen):
    """Rates by currency; n adds one, enter edits, delete removes it."""

    KIND = "rate"
    HELP = (
        "Exchange rates into the firm's reporting currency (the currency setting): a rate "
        "says how many units of it one unit of the currency is worth from its date on, "
        "until the next rate of that currency. Totals in the reports and on the dashboard "
        "use each currency's latest rate on or before the day; a currency without one is "
        "named instead of converted. The reporting currency cannot change while rates exist."
    )
    FILTERS = (TextChoice("currency", "currency", "currency code", width=15),)
