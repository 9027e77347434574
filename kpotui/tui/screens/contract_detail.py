"""A contract: overview with its notice deadline and value against in-house, then tabs for
its deliverables, activities, notes, decisions and history."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from kpotui.services.clock import today
from kpotui.tui import formatting as fmt
from kpotui.tui.screens.record_detail import RecordDetailScreen

Record = dict[str, Any]


class ContractDetailScreen(RecordDetailScreen):
    """One contract and everything that belongs to it."""

    HELP = (
        "One contract. The overview adds what the fields imply: the last day to give notice "
        "(or decide on renewal) and what the work would cost in-house. The tabs list its "
        "deliverables, the activities it covers, its notes and decisions (n adds one there, "
        "already linked to this contract), and its audit trail. [ and ] switch tabs."
    )

    def __init__(self, record_id: int | None = None, key: dict[str, Any] | None = None) -> None:
        super().__init__("contract", record_id, key)

    def subtitle(self, record: Record) -> str:
        return f" · {record['title']} · {record['status']}"

    def overview_rows(self, record: Record) -> list[tuple[str, str]]:
        return self.implications(record) + super().overview_rows(record)

    @staticmethod
    def implications(record: Record) -> list[tuple[str, str]]:
        """Notice deadline and saving against in-house, worked out from the fields."""
        rows: list[tuple[str, str]] = []
        end = record["end_date"]
        if end is not None:
            deadline = end - timedelta(days=record["notice_days"] or 0)
            days = (deadline - today()).days
            when = f"in {days} d" if days > 0 else "today" if days == 0 else f"passed {-days} d ago"
            renew = "auto-renews unless notice is given" if record["auto_renew"] else "ends"
            rows.append(("Notice deadline", f"{fmt.day(deadline)} ({when}; {renew})"))
        value, estimate = record["value"], record["in_house_estimate"]
        if value is not None and estimate is not None:
            saving = estimate - value
            verb = "saves" if saving >= 0 else "costs"
            share = f" ({saving / estimate:.0%})" if estimate else ""
            rows.append(
                ("Against in-house", f"{verb} {fmt.money(abs(saving), record['currency'])}{share}")
            )
        return rows
