"""Marking a deliverable: which dates and score each status brings, and that the result
saves through the records service."""

from __future__ import annotations

from datetime import date

import pytest

from kpotui.services import writes
from kpotui.services.errors import ValidationError
from kpotui.services.marking import mark_changes
from kpotui.store import Store
from tests.services import factories as make

ON = date(2025, 6, 30)
EARLIER = date(2025, 6, 20)


def open_work(submitted: date | None = None) -> dict[str, object]:
    return {"status": "in-progress", "submitted_date": submitted, "accepted_date": None}


def test_submitted_sets_the_submitted_date_and_takes_no_score() -> None:
    assert mark_changes(open_work(), "submitted", ON, score=4) == {
        "status": "submitted",
        "submitted_date": ON,
    }


def test_accepted_sets_the_accepted_date_and_keeps_the_submitted_date() -> None:
    assert mark_changes(open_work(EARLIER), "accepted", ON, score=5) == {
        "status": "accepted",
        "accepted_date": ON,
        "submitted_date": EARLIER,
        "quality_score": 5,
    }


def test_accepted_without_a_submitted_date_was_submitted_the_same_day() -> None:
    changes = mark_changes(open_work(), "accepted", ON)
    assert changes == {"status": "accepted", "accepted_date": ON, "submitted_date": ON}


def test_rework_takes_a_score_and_no_date() -> None:
    assert mark_changes(open_work(EARLIER), "rework", ON, score=2) == {
        "status": "rework",
        "quality_score": 2,
    }


@pytest.mark.parametrize("status", ["in-progress", "planned", "cancelled"])
def test_other_statuses_change_the_status_alone(status: str) -> None:
    assert mark_changes(open_work(EARLIER), status, ON, score=3) == {"status": status}


def test_the_changes_save_and_are_validated(store: Store) -> None:
    make.provider(store)
    make.contract(store)
    record = make.deliverable(store, submitted_date="2025-06-25")
    saved = writes.update(
        store,
        "deliverable",
        record["id"],
        mark_changes(record, "accepted", ON, 4),
        version=record["version"],
    )
    assert (saved["status"], saved["quality_score"]) == ("accepted", 4)
    assert (saved["submitted_date"], saved["accepted_date"]) == (date(2025, 6, 25), ON)
    with pytest.raises(ValidationError, match="Accepted date: before the submitted date"):
        writes.update(
            store,
            "deliverable",
            record["id"],
            mark_changes(saved, "accepted", EARLIER),
            version=saved["version"],
        )
