"""Marking a deliverable: its new status and which dates and score go with it.

``submitted`` sets the submitted date; ``accepted`` sets the accepted date and keeps the
submitted date (or sets it to the same day: work accepted was submitted); ``accepted`` and
``rework`` take a quality score. Other statuses change the status alone. The changes go
through :func:`kpotui.services.writes.update`, which validates them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

SCORED = ("accepted", "rework")
"""Statuses that take a quality score (the reviewer has looked at the work)."""


def mark_changes(
    record: Mapping[str, Any], status: str, on: date, score: int | None = None
) -> dict[str, Any]:
    """The fields to write to mark deliverable ``record`` as ``status`` on day ``on``."""
    changes: dict[str, Any] = {"status": status}
    if status == "submitted":
        changes["submitted_date"] = on
    if status == "accepted":
        changes["accepted_date"] = on
        changes["submitted_date"] = record["submitted_date"] or on
    if status in SCORED and score is not None:
        changes["quality_score"] = score
    return changes
