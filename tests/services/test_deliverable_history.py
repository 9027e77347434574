"""A deliverable's dates follow its status, and its history of submissions (first
submission, rounds of rework) is kept by the write path whoever writes: forms, the mark
dialog, imports, undo."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest

from kpotui.interchange import exporter, importer
from kpotui.interchange.inputs import CsvSource
from kpotui.interchange.problems import InputError
from kpotui.services import insights, records, undo, writes
from kpotui.services.errors import ValidationError
from kpotui.services.fields import kind_spec
from kpotui.services.marking import DATES_KEPT, mark_changes
from kpotui.store import Store
from tests.services import factories as make

DUE = date(2025, 6, 1)
EARLY, LATE, LATER = date(2025, 5, 30), date(2025, 6, 5), date(2025, 6, 9)


@pytest.fixture
def contract(store: Store) -> Store:
    make.provider(store, "Anand")
    make.contract(store, "ENG-A", "Anand")
    return store


def mark(store: Store, record: dict[str, Any], status: str, on: date) -> dict[str, Any]:
    changes = mark_changes(record, status, on, score=3)
    return writes.update(store, "deliverable", record["id"], changes, version=record["version"])


def history(record: dict[str, Any]) -> tuple[date | None, int]:
    return record["first_submitted_date"], record["rework_rounds"]


def figures(store: Store) -> tuple[int, int, int, int, int]:
    """delivered, on time, accepted, first time right, rounds of rework (the one provider)."""
    (r,) = insights.reliability(store, date(2025, 6, 30))
    return r.delivered, r.on_time, r.accepted, r.first_time_right, r.rework_rounds


# -- dates follow the status ------------------------------------------------------------------


@pytest.mark.parametrize("status", sorted(DATES_KEPT))
def test_a_status_change_clears_the_dates_the_new_status_does_not_keep(
    contract: Store, status: str
) -> None:
    done = make.deliverable(
        contract, "Pack", "ENG-A", submitted_date="2025-05-30", accepted_date="2025-06-02"
    )
    saved = writes.update(
        contract, "deliverable", done["id"], {"status": status}, version=done["version"]
    )
    kept = {name for name in ("submitted_date", "accepted_date") if saved[name] is not None}
    assert kept == set(DATES_KEPT[status])
    assert records.get(contract, "deliverable", done["id"]) == saved


def test_marked_back_to_planned_it_no_longer_counts_as_delivered(contract: Store) -> None:
    record = make.deliverable(contract, "Pack", "ENG-A", due_date="2025-06-01")
    record = mark(contract, record, "submitted", EARLY)
    assert figures(contract) == (1, 1, 0, 0, 0)
    record = mark(contract, record, "planned", LATE)
    assert (record["submitted_date"], record["first_submitted_date"]) == (None, None)
    assert figures(contract) == (0, 0, 0, 0, 0)


def test_marked_back_to_planned_it_loses_its_score_and_leaves_the_quality_figure(
    contract: Store,
) -> None:
    record = make.deliverable(contract, "Pack", "ENG-A", due_date="2025-06-01")
    record = mark(contract, record, "accepted", EARLY)  # scored 3
    (before,) = insights.reliability(contract, date(2025, 6, 30))
    assert (record["quality_score"], before.average_quality) == (3, 3.0)
    record = mark(contract, record, "rework", LATE)
    assert record["quality_score"] == 3  # sent back: the review stands
    record = mark(contract, record, "planned", LATER)
    assert record["quality_score"] is None
    (after,) = insights.reliability(contract, date(2025, 6, 30))
    assert after.average_quality is None


def test_rework_keeps_the_submission_and_loses_the_acceptance(contract: Store) -> None:
    record = make.deliverable(
        contract, "Pack", "ENG-A", submitted_date="2025-05-30", accepted_date="2025-06-02"
    )
    record = mark(contract, record, "rework", LATE)
    assert (record["submitted_date"], record["accepted_date"]) == (EARLY, None)


@pytest.mark.parametrize(
    ("status", "given", "message"),
    [
        (
            "planned",
            {"submitted_date": "2025-05-30"},
            "a planned deliverable has no submitted date",
        ),
        ("rework", {"accepted_date": "2025-06-02"}, "a rework deliverable has no accepted date"),
        ("cancelled", {"submitted_date": "2025-05-30"}, "cancelled deliverable has no submitted"),
    ],
)
def test_a_date_given_with_a_status_that_does_not_keep_it_is_refused(
    contract: Store, status: str, given: dict[str, str], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        make.deliverable(contract, "New", "ENG-A", status=status, **given)
    # a date other than the one held (the same one, as a form sends it, is cleared)
    record = make.deliverable(contract, "Pack", "ENG-A", submitted_date="2025-05-20")
    with pytest.raises(ValidationError, match=message):
        changes = {"status": status, **given}
        writes.update(contract, "deliverable", record["id"], changes, version=record["version"])
    assert records.get(contract, "deliverable", record["id"]) == record
    assert records.find(contract, "deliverable", {"contract": "ENG-A", "title": "New"}) is None


def _import(store: Store, text: str) -> None:
    spec = kind_spec("deliverables")
    source = CsvSource("deliverables.csv", spec, io.BytesIO(text.encode()))
    importer.import_sources(store, [source], on_conflict="update")


def test_an_import_that_changes_the_status_clears_the_dates_too(contract: Store) -> None:
    make.deliverable(
        contract, "Pack", "ENG-A", submitted_date="2025-05-30", accepted_date="2025-06-02"
    )
    _import(contract, "contract,title,due_date,status\nENG-A,Pack,2025-06-01,in-progress\n")
    found = records.find(contract, "deliverable", {"contract": "ENG-A", "title": "Pack"})
    assert found is not None
    assert (found["status"], found["submitted_date"], found["accepted_date"]) == (
        "in-progress",
        None,
        None,
    )


# -- the history of submissions --------------------------------------------------------------


def test_sent_back_twice_then_accepted_counts_two_rounds_and_the_first_submission(
    contract: Store,
) -> None:
    record = make.deliverable(contract, "Pack", "ENG-A", due_date="2025-06-01")
    record = mark(contract, record, "submitted", EARLY)
    record = mark(contract, record, "rework", LATE)
    record = mark(contract, record, "submitted", LATE)
    record = mark(contract, record, "rework", LATER)
    record = mark(contract, record, "submitted", LATER)
    record = mark(contract, record, "accepted", LATER)
    assert (record["submitted_date"], history(record)) == (LATER, (EARLY, 2))
    assert figures(contract) == (1, 1, 1, 0, 2), "on time from the first submission"


def test_accepted_at_once_is_first_time_right_and_a_correction_moves_the_first_date(
    contract: Store,
) -> None:
    record = make.deliverable(contract, "Pack", "ENG-A", due_date="2025-06-01")
    record = mark(contract, record, "submitted", LATE)
    record = writes.update(
        contract, "deliverable", record["id"], {"submitted_date": EARLY}, version=record["version"]
    )
    assert history(record) == (EARLY, 0), "never sent back: the first date follows a correction"
    mark(contract, record, "accepted", LATER)
    assert figures(contract) == (1, 1, 1, 1, 0)


def test_a_late_first_submission_stays_late_after_rework(contract: Store) -> None:
    record = make.deliverable(contract, "Pack", "ENG-A", due_date="2025-06-01")
    record = mark(contract, record, "submitted", LATE)
    record = mark(contract, record, "rework", LATER)
    record = writes.update(
        contract, "deliverable", record["id"], {"submitted_date": EARLY}, version=record["version"]
    )
    assert history(record) == (LATE, 1), "once sent back, the first submission is kept"
    assert figures(contract) == (1, 0, 0, 0, 1)


def test_a_new_deliverable_imported_in_rework_counts_one_round(contract: Store) -> None:
    _import(
        contract,
        "contract,title,due_date,status,submitted_date\nENG-A,Pack,2025-06-01,rework,2025-06-05\n",
    )
    found = records.find(contract, "deliverable", {"contract": "ENG-A", "title": "Pack"})
    assert found is not None and history(found) == (LATE, 1)
    assert figures(contract) == (1, 0, 0, 0, 1)


def test_undo_puts_the_history_back(contract: Store) -> None:
    record = make.deliverable(contract, "Pack", "ENG-A", due_date="2025-06-01")
    record = mark(contract, record, "submitted", EARLY)
    mark(contract, record, "rework", LATE)
    undo.undo_last(contract)
    found = records.get(contract, "deliverable", record["id"])
    assert (found["status"], history(found)) == ("submitted", (EARLY, 0))
    assert figures(contract) == (1, 1, 0, 0, 0)

    found = mark(contract, mark(contract, found, "rework", LATE), "accepted", LATER)
    writes.delete(contract, "deliverable", found["id"], version=found["version"])
    undo.undo_last(contract)  # the deletion: re-created with its history
    again = records.get(contract, "deliverable", found["id"])
    assert history(again) == (EARLY, 1)
    assert figures(contract) == (1, 1, 1, 0, 1)


def test_the_history_is_not_exported_and_not_importable(contract: Store) -> None:
    record = make.deliverable(contract, "Pack", "ENG-A", status="rework")
    assert record["rework_rounds"] == 1
    out = io.StringIO()
    exporter.export_document(contract, "json", out)
    (exported,) = json.loads(out.getvalue())["deliverables"]
    assert "rework_rounds" not in exported and "first_submitted_date" not in exported
    with pytest.raises(InputError) as caught:
        _import(contract, "contract,title,due_date,rework_rounds\nENG-A,Pack,2025-06-01,0\n")
    assert "rework_rounds" in "\n".join(caught.value.problems.lines())
    assert records.get(contract, "deliverable", record["id"])["rework_rounds"] == 1
