"""Which statuses count as what, defined once for the screens, the insights and the reports.

Plain strings (the values of :mod:`kpotui.models`' enumerations), so a screen can name
them without importing the database layer.
"""

from __future__ import annotations

OPEN_DELIVERABLE = ("planned", "in-progress", "rework")
"""Statuses in which a deliverable is still owed by the provider."""
LIVE_CONTRACT = ("active", "on-hold")
"""Contracts in force: signed and neither completed nor terminated."""
SPENDING_CONTRACT = LIVE_CONTRACT
"""Contracts whose value counts as spend: those in force (a draft is not signed yet, and
a completed or terminated contract is spent no more)."""
OUTSOURCED = ("outsourced", "hybrid")
"""Sourcing of an activity that a provider does, wholly or in part."""
