"""A contract's notice deadline: the last day to give notice (or decide on renewal).

The one definition; :mod:`kpotui.services.terms` applies it to a contract's current term,
which the flags, a contract's facts and the renewals insight use.
"""

from __future__ import annotations

from datetime import date, timedelta


def notice_deadline(end_date: date, notice_days: int | None) -> date:
    """A term's end date minus the notice period (no notice period: the end itself)."""
    return end_date - timedelta(days=notice_days or 0)


def inside_notice(deadline: date, today: date) -> bool:
    """True from the notice deadline on: notice given now comes too late for the term."""
    return deadline <= today
