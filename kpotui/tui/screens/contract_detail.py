"""A contract: overview (with its notice deadline and value against in-house, see
:mod:`kpotui.tui.fact_lines`), then tabs for its deliverables, activities, notes, decisions and
history."""

from __future__ import annotations

from typing import Any

from kpotui.services.records import Record
from kpotui.tui.screens.record_detail import RecordDetailScreen


class ContractDetailScreen(RecordDetailScreen):
    """One contract and everything that belongs to it."""

    HELP = (
        "One contract. The overview adds what the fields imply: the last day to give notice "
        "(or decide on renewal) and what the work would cost in-house. The tabs list its "
        "deliverables, the activities it covers, its notes and decisions (n adds one there, "
        "already linked to this contract), and its audit trail. [ and ] switch tabs. "
        "Its provider is a link: P (or enter on it) opens it; backspace or escape comes back."
    )

    def __init__(self, record_id: int | None = None, key: dict[str, Any] | None = None) -> None:
        super().__init__("contract", record_id, key)

    def subtitle(self, record: Record) -> str:
        return f" · {record['title']} · {record['status']}"
