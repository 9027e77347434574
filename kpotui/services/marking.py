"""Marking a deliverable: its new status and which dates and score go with it.

``submitted`` sets the submitted date; ``accepted`` sets the accepted date and keeps the
submitted date (or sets it to the same day: work accepted was submitted); ``accepted`` and
``rework`` take a quality score. Other statuses change the status alone. The changes go
through :func:`kpotui.services.writes.update`, which validates them.

Whoever writes (this dialog, the edit form, an import, the CLI), the Batch applies
:func:`status_dates`: a deliverable keeps only the dates its status has (``DATES_KEPT``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

SCORED = ("accepted", "rework")
"""Statuses that take a quality score (the reviewer has looked at the work)."""
STATUS_DATES = ("submitted_date", "accepted_date")
DATES_KEPT: dict[str, tuple[str, ...]] = {
    "planned": (),
    "in-progress": (),
    "submitted": ("submitted_date",),
    "rework": ("submitted_date",),
    "accepted": STATUS_DATES,
    "cancelled": (),
}
"""The dates each status keeps. Rework keeps the submitted date (the work was submitted,
then sent back); only accepted work has an accepted date; work planned, in progress or
cancelled has neither (it is not delivered)."""


def status_dates(
    before: Mapping[str, Any] | None, values: Mapping[str, Any]
) -> tuple[dict[str, None], dict[str, str]]:
    """(dates to clear, field -> problem) for writing ``values`` over deliverable
    ``before`` (None: a new deliverable, and ``values`` is all of it).

    A date given with a status that does not keep it is refused. A date kept from before
    is cleared when the status changes to one that does not keep it; a record written
    before this rule keeps its dates until its status changes. Work sent back to planned,
    in progress or cancelled loses its quality score too: no submission, no review."""
    record = values if before is None else {**before, **values}
    status = record["status"]
    kept = DATES_KEPT.get(status, STATUS_DATES)
    clear: dict[str, None] = {}
    errors: dict[str, str] = {}
    for name in STATUS_DATES:
        if name in kept or record[name] is None:
            continue
        if before is None or name in values:
            errors[name] = f"a {status} deliverable has no {name.replace('_', ' ')}"
        elif "status" in values:
            clear[name] = None
    unsubmitted = "submitted_date" not in kept and before is not None and "status" in values
    if unsubmitted and record.get("quality_score") is not None and "quality_score" not in values:
        clear["quality_score"] = None
    return clear, errors


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
