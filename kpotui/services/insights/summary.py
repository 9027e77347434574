"""The headline figure of every question at once, for ``kpotui report summary``."""

from __future__ import annotations

from datetime import date
from typing import Any

from kpotui.services.clock import today as clock_today
from kpotui.services.insights.activities import retention
from kpotui.services.insights.deadlines import NoticeFigures, due_work, renewals
from kpotui.services.insights.decisions import provider_decisions, quarter_of
from kpotui.services.insights.providers import concentration
from kpotui.store import Store


def summary(store: Store, today: date | None = None) -> dict[str, Any]:
    """The headline figures of every question, for `kpotui report summary`."""
    from kpotui.services.records import counts

    today = today or clock_today()
    due = due_work(store, today, limit=0)
    notice = NoticeFigures.of(renewals(store, today), today)
    kept = retention(store, today, limit=0)
    decisions = provider_decisions(store, *quarter_of(today), limit=0)
    spread = concentration(store, today)
    largest: dict[str, dict[str, Any]] = {}
    for share in spread.by_provider:  # ordered by currency, then amount descending
        largest.setdefault(
            share.currency,
            {"provider": share.name, "share": share.share, "currency": share.currency},
        )
    return {
        "today": today.isoformat(),
        "records": counts(store),
        "overdue_deliverables": due.overdue_count,
        "due_in_14_days": due.due_soon_count,
        "outsourced_core_at_risk": kept.at_risk_count,
        "retention_covered": {"covered": kept.covered, "outsourced": kept.outsourced},
        "contracts_in_notice": notice.notice,
        "contracts_lapsed": notice.lapsed,
        "provider_decisions_this_quarter": decisions.total,
        "irreversible_provider_decisions_this_quarter": decisions.irreversible,
        "spend": spread.spend.as_json(),
        "largest_provider_share": list(largest.values()),
    }
