"""A contract's current term: where an auto-renewing contract has rolled on to, and
whether one that does not renew has lapsed.

The one definition; the flags, a contract's facts and the renewals insight use it. The
stored ``end_date`` is never rewritten: the current term is worked out from it and today.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kpotui.services.notice import notice_deadline
from kpotui.services.statuses import LIVE_CONTRACT

DEFAULT_RENEWAL_TERM_MONTHS = 12
"""The renewal term of an auto-renewing contract that does not give one."""


def add_months(day: date, months: int) -> date:
    """``day`` moved on by ``months`` calendar months, the day clamped to the last of the
    month (Jan 31 + 1 month = Feb 28, or 29 in a leap year)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rolled_end(end_date: date, term_months: int, today: date) -> date:
    """``end_date`` advanced by whole terms of ``term_months`` until it is today or later.

    Every term is counted from ``end_date`` itself (not from the previous, clamped term
    end), so an end on the 31st comes back to the 31st: Aug 31, Feb 28, Aug 31.
    """
    months_behind = (today.year - end_date.year) * 12 + today.month - end_date.month
    terms = max(0, months_behind // term_months)
    while add_months(end_date, terms * term_months) < today:
        terms += 1
    return add_months(end_date, terms * term_months)


@dataclass(frozen=True)
class Term:
    """The term of a contract that today falls in (or last fell in)."""

    end: date
    """The current term's last day: the stored end date unless the contract rolled on."""
    notice_deadline: date
    """The last day to give notice on the current term."""
    rolled: bool
    """An auto-renewing contract whose stored end date has passed: ``end`` is later."""
    lapsed: bool
    """Still live, not auto-renewing, and its end date has passed: nobody renewed,
    completed or terminated it."""


def current_term(
    *,
    status: str,
    end_date: date,
    notice_days: int | None,
    auto_renew: bool,
    renewal_term_months: int | None,
    today: date,
) -> Term:
    """The current term of a contract ending ``end_date``: only a live auto-renewing
    contract rolls on; a live one that does not renew lapses after its end."""
    live = status in LIVE_CONTRACT
    end = end_date
    if live and auto_renew:
        end = rolled_end(end_date, renewal_term_months or DEFAULT_RENEWAL_TERM_MONTHS, today)
    return Term(
        end=end,
        notice_deadline=notice_deadline(end, notice_days),
        rolled=end != end_date,
        lapsed=live and not auto_renew and end_date < today,
    )


def term_of(record: Mapping[str, Any], today: date) -> Term | None:
    """The current term of a contract record (as the records service gives it); None
    without an end date."""
    end = record["end_date"]
    if end is None:
        return None
    return current_term(
        status=record["status"],
        end_date=end,
        notice_days=record["notice_days"],
        auto_renew=bool(record["auto_renew"]),
        renewal_term_months=record["renewal_term_months"],
        today=today,
    )


def outlook(term: Term, *, status: str, auto_renew: bool) -> str:
    """What a contract's current term means for its owner, in one line: the one wording
    of the contract's overview, the dashboard and ``kpotui report risk``."""
    end, deadline = term.end.isoformat(), term.notice_deadline.isoformat()
    if term.lapsed:
        still = status.replace("-", " ")
        return f"ended {end}, still {still}: renew, complete or terminate"
    if term.rolled:
        return f"renews to {end} unless notice by {deadline}"
    if auto_renew and status in LIVE_CONTRACT:
        return f"ends {end}, renews unless notice by {deadline}"
    return f"ends {end}, notice by {deadline}"
