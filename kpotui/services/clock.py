"""Today's date, pinnable: ``KPOTUI_TODAY=YYYY-MM-DD`` freezes it (tests, demos, snapshots)."""

from __future__ import annotations

import os
from datetime import date


def today() -> date:
    pinned = os.environ.get("KPOTUI_TODAY")
    if pinned:
        return date.fromisoformat(pinned)
    return date.today()
