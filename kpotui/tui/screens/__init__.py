"""The eight main screens, each a mode of the app reachable by one key from anywhere.

Screen modules are imported only when a screen is first shown, so the dashboard paints
without loading the rest (or SQLAlchemy).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MainScreen:
    mode: str
    label: str
    key: str
    module: str
    """Module under ``kpotui.tui.screens`` that defines the screen class."""
    class_name: str
    kind: str | None
    """The kind of record it lists (None for the dashboard)."""
    short: str = ""
    """The label where the top bar has no room for it (80 columns)."""


MAIN_SCREENS = (
    MainScreen("dashboard", "Dashboard", "1", "dashboard", "DashboardScreen", None, "Dash"),
    MainScreen("contracts", "Contracts", "2", "contracts", "ContractsScreen", "contract", "Cont"),
    MainScreen(
        "deliverables",
        "Deliverables",
        "3",
        "deliverables",
        "DeliverablesScreen",
        "deliverable",
        "Deliv",
    ),
    MainScreen("activities", "Activities", "4", "activities", "ActivitiesScreen", "task", "Act"),
    MainScreen("notes", "Notes", "5", "notes", "NotesScreen", "note", "Notes"),
    MainScreen("providers", "Providers", "6", "providers", "ProvidersScreen", "provider", "Prov"),
    MainScreen("decisions", "Decisions", "7", "decisions", "DecisionsScreen", "decision", "Decis"),
    MainScreen("agenda", "Agenda", "8", "agenda", "AgendaScreen", None, "Agenda"),
)

RATES_SCREEN = MainScreen("rates", "Exchange rates", "", "rates", "RatesScreen", "rate")
"""Not one of the numbered screens: reached from the settings screen and the palette."""

MODE_OF_KIND = {s.kind: s.mode for s in (*MAIN_SCREENS, RATES_SCREEN) if s.kind}
