"""How far ahead "soon" looks: the horizons of the domain's warnings, defined once.

Each rule that uses one (:mod:`kpotui.services.flags`, the insights) takes it as a
parameter with these as defaults, so firm settings (``due_soon_days``,
``notice_warning_days``) can replace them without touching the rules.
"""

from __future__ import annotations

DUE_SOON_DAYS = 14
"""Open work due from today up to this many days ahead (both ends included) is due soon."""
NOTICE_WARNING_DAYS = 30
"""A live contract whose notice deadline falls within this many days (or has passed, while
the contract still runs) needs a decision: give notice, renew, or let it end."""
CERTIFICATE_WARNING_DAYS = 30
"""A provider's certificates expiring from today up to this many days ahead are expiring."""
