"""How far ahead "soon" looks: the horizons of the domain's warnings, defined once.

The firm decides the first two (firm settings ``due_soon_days`` and
``notice_warning_days``, :mod:`kpotui.services.settings`); the constants here are their
defaults. Each rule that uses one (:mod:`kpotui.services.flags`, the insights) is given
the firm's :class:`Horizons`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from kpotui.store import Store

DUE_SOON_DAYS = 14
"""Open work due from today up to this many days ahead (both ends included) is due soon."""
NOTICE_WARNING_DAYS = 30
"""A live contract whose notice deadline falls within this many days (or has passed, while
the contract still runs) needs a decision: give notice, renew, or let it end."""
CERTIFICATE_WARNING_DAYS = 30
"""A provider's certificates expiring from today up to this many days ahead are expiring."""


@dataclass(frozen=True)
class Horizons:
    """The horizons in force, as the firm set them."""

    due_soon_days: int = DUE_SOON_DAYS
    notice_warning_days: int = NOTICE_WARNING_DAYS
    certificate_warning_days: int = CERTIFICATE_WARNING_DAYS


DEFAULT_HORIZONS = Horizons()
"""The horizons of a firm that set none."""


def firm_horizons(source: Store | Connection) -> Horizons:
    """The horizons the firm settings give (their defaults where unset)."""
    from kpotui.services import settings

    loaded = settings.load(source)
    return Horizons(
        due_soon_days=settings.value_of(loaded[settings.DUE_SOON_DAYS.key]),
        notice_warning_days=settings.value_of(loaded[settings.NOTICE_WARNING_DAYS.key]),
    )
