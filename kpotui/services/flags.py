"""What needs attention in one record: overdue, due soon, inside notice, certificates...

:func:`row_flags` is the one place these rules live; the screens map each flag to a style,
a contract's or provider's facts report them, and the insights select by the same rules
in SQL (tests/services/test_rules.py holds the two together). Horizons default to
:mod:`kpotui.services.horizons`.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from kpotui.services.horizons import DEFAULT_HORIZONS, Horizons
from kpotui.services.notice import inside_notice
from kpotui.services.records import Record
from kpotui.services.statuses import LIVE_CONTRACT, OPEN_DELIVERABLE, OUTSOURCED
from kpotui.services.terms import term_of


class Flag(StrEnum):
    OVERDUE = "overdue"
    """Open work past its due date."""
    DUE_SOON = "due-soon"
    """Open work due today or within the due-soon horizon."""
    INSIDE_NOTICE = "inside-notice"
    """A live contract, not yet ended, whose notice deadline is today or has passed."""
    NOTICE_SOON = "notice-soon"
    """A live contract whose notice deadline falls within the notice-warning horizon."""
    LAPSED = "lapsed"
    """A live contract that does not auto-renew, past its end date."""
    CERTIFICATE_EXPIRED = "certificate-expired"
    """A provider's certificates expired before today."""
    CERTIFICATE_EXPIRING = "certificate-expiring"
    """A provider's certificates expire today or within the certificate horizon."""
    REVIEW_OVERDUE = "review-overdue"
    """A note past its review date."""
    CORE_WITHOUT_OWNER = "core-without-owner"
    """A core activity done (wholly or partly) by a provider with no internal owner."""
    IRREVERSIBLE = "irreversible"
    """A decision that cannot be undone."""


def _past_or_soon(day: date, today: date, days: int, past: Flag, soon: Flag) -> frozenset[Flag]:
    """``past`` when ``day`` is before today; ``soon`` when it is up to ``days`` ahead."""
    if day < today:
        return frozenset({past})
    if day <= today + timedelta(days=days):
        return frozenset({soon})
    return frozenset()


def due_flags(status: str, due: date, today: date, due_soon_days: int) -> frozenset[Flag]:
    """Overdue or due soon, for a deliverable still owed."""
    if status not in OPEN_DELIVERABLE:
        return frozenset()
    return _past_or_soon(due, today, due_soon_days, Flag.OVERDUE, Flag.DUE_SOON)


def notice_flags(record: Record, today: date, notice_warning_days: int) -> frozenset[Flag]:
    """Inside notice or notice soon on its current term, for a live contract; lapsed, for
    one past its end that does not auto-renew."""
    term = term_of(record, today)
    if record["status"] not in LIVE_CONTRACT or term is None:
        return frozenset()
    if term.lapsed:
        return frozenset({Flag.LAPSED})
    deadline = term.notice_deadline
    if inside_notice(deadline, today):
        return frozenset({Flag.INSIDE_NOTICE})
    if deadline <= today + timedelta(days=notice_warning_days):
        return frozenset({Flag.NOTICE_SOON})
    return frozenset()


def certificate_flags(
    expiry: date | None, today: date, certificate_warning_days: int
) -> frozenset[Flag]:
    if expiry is None:
        return frozenset()
    expired, expiring = Flag.CERTIFICATE_EXPIRED, Flag.CERTIFICATE_EXPIRING
    return _past_or_soon(expiry, today, certificate_warning_days, expired, expiring)


def row_flags(
    kind: str,
    record: Record,
    today: date,
    horizons: Horizons = DEFAULT_HORIZONS,
) -> frozenset[Flag]:
    """The flags of one record of ``kind`` (as the records and listing services give it),
    looking as far ahead as ``horizons`` say (the firm's: :func:`firm_horizons`)."""
    if kind == "deliverable":
        return due_flags(record["status"], record["due_date"], today, horizons.due_soon_days)
    if kind == "contract":
        return notice_flags(record, today, horizons.notice_warning_days)
    if kind == "provider":
        expiry = record["certification_expiry"]
        return certificate_flags(expiry, today, horizons.certificate_warning_days)
    if kind == "note":
        review_by = record["review_by"]
        overdue = review_by is not None and review_by < today
        return frozenset({Flag.REVIEW_OVERDUE}) if overdue else frozenset()
    if kind == "task":
        unowned = (
            record["classification"] == "core"
            and record["sourcing"] in OUTSOURCED
            and not record["owner"]
        )
        return frozenset({Flag.CORE_WITHOUT_OWNER}) if unowned else frozenset()
    if kind == "decision" and not record["reversible"]:
        return frozenset({Flag.IRREVERSIBLE})
    return frozenset()
