"""What the write path keeps of a deliverable's submissions, so that provider figures
come from what happened rather than from the status today.

* ``first_submitted_date``: the date of the first submission. It follows the submitted
  date (a correction; a return to planned, which clears it) until the deliverable is
  first sent back; from then on it is kept, whatever later submissions say.
* ``rework_rounds``: how many times the status changed to rework (a new deliverable
  created in rework counts one); a later acceptance keeps it.

On time is then "first submitted on or before the due date", and first-time-right
"accepted with no round of rework" (migration 0010 counts both per provider).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

REWORK = "rework"


def derived(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> dict[str, Any]:
    """The derived values of deliverable ``after`` (the whole record once written) when
    it replaces ``before`` (None: a new deliverable)."""
    rounds = before["rework_rounds"] if before is not None else 0
    first = before["first_submitted_date"] if before is not None else None
    if rounds == 0 or first is None:
        first = after["submitted_date"]
    if after["status"] == REWORK and (before is None or before["status"] != REWORK):
        rounds += 1
    return {"first_submitted_date": first, "rework_rounds": rounds}
