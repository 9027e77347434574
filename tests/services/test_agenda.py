"""The agenda: each item kind found on its date, not listed too early, and acknowledged."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kpotui.services import agenda, agenda_acks, audit, settings, undo, writes
from kpotui.services.errors import ConflictError
from kpotui.store import Store
from tests.services import factories as f

TODAY = date(2026, 6, 1)


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def items(store: Store, today: date = TODAY, **options: object) -> list[agenda.Item]:
    return agenda.agenda(store, today, **options)  # type: ignore[arg-type]


def ids(store: Store, today: date = TODAY, **options: object) -> list[str]:
    return [item.id for item in items(store, today, **options)]


@pytest.fixture
def firm(store: Store) -> Store:
    f.provider(store)
    f.contract(store, owner="Ana Lima")
    return store


def test_a_deliverable_is_listed_when_due_within_the_window_and_once_overdue(firm: Store) -> None:
    made = f.deliverable(firm, due_date=day(20))
    assert ids(firm, within_days=19) == []
    found = items(firm)
    assert [i.id for i in found] == [f"deliverable-due:{made['id']}:{day(20)}"]
    assert found[0].responsible == ("Ana Lima",)
    assert found[0].record_key == "ENG-1 / Monthly pack"
    late = items(firm, TODAY + timedelta(days=21))
    assert late[0].group(TODAY + timedelta(days=21)) == "Overdue"


def test_work_sent_back_is_chased_by_its_reviewer_and_accepted_work_not_at_all(
    firm: Store,
) -> None:
    f.deliverable(
        firm, "Sent back", due_date=day(-3), status="rework", reviewer="Bo Chen",
        submitted_date=day(-5),
    )  # fmt: skip
    f.deliverable(firm, "Done", due_date=day(-3), submitted_date=day(-4), accepted_date=day(-2))
    (found,) = items(firm, kinds=["deliverable-due"])
    assert found.record_key == "ENG-1 / Sent back"
    assert found.responsible == ("Bo Chen", "Ana Lima")


def test_submitted_work_is_due_for_review_after_the_review_days(firm: Store) -> None:
    made = f.deliverable(firm, due_date=day(-10), submitted_date=day(0), reviewer="Bo Chen")
    assert ids(firm, within_days=4) == []  # due on day 5 (default review days)
    (found,) = items(firm, within_days=5)
    assert found.id == f"deliverable-review:{made['id']}:{day(5)}"
    assert found.responsible == ("Bo Chen",)
    settings.set_value(firm, "agenda_review_days", 2)
    assert ids(firm, within_days=4) == [f"deliverable-review:{made['id']}:{day(2)}"]


def test_a_notice_deadline_is_announced_from_the_first_lead_time(firm: Store) -> None:
    made = f.contract(
        firm, "ENG-2", status="active", end_date=day(130), notice_days=30, owner="Ana Lima"
    )
    deadline = day(100)
    assert ids(firm, kinds=["notice-deadline"]) == []  # 100 days ahead: before 90
    seen = TODAY + timedelta(days=10)
    (found,) = items(firm, seen, kinds=["notice-deadline"])
    assert found.id == f"notice-deadline:{made['id']}:{deadline}"
    assert found.group(seen) == "Later"
    settings.set_value(firm, "agenda_lead_times", "30, 7")
    assert ids(firm, seen, kinds=["notice-deadline"]) == []


def test_a_lapsed_contract_is_listed_from_the_day_after_its_end(firm: Store) -> None:
    made = f.contract(firm, "ENG-2", status="active", end_date=day(0), owner="Bo Chen")
    assert ids(firm, kinds=["lapsed-contract"]) == []
    (found,) = items(firm, TODAY + timedelta(days=1), kinds=["lapsed-contract"])
    assert found.id == f"lapsed-contract:{made['id']}:{day(0)}"
    assert found.responsible == ("Bo Chen",)


def test_a_certification_expiring_names_the_owners_of_live_contracts(firm: Store) -> None:
    made = f.provider(firm, "Northwind", certification_expiry=day(40))
    f.contract(firm, "NW-1", provider="Northwind", status="active", owner="Bo Chen")
    f.contract(firm, "NW-2", provider="Northwind", status="completed", owner="Old Owner")
    assert ids(firm) == []
    (found,) = items(firm, within_days=40)
    assert found.id == f"certificate-expiry:{made['id']}:{day(40)}"
    assert found.responsible == ("Bo Chen",)


def test_a_security_review_is_due_by_the_most_sensitive_data_held(firm: Store) -> None:
    made = f.provider(firm, "Northwind", security_review_date=day(-170))
    f.contract(firm, "NW-1", provider="Northwind", status="active", data_sensitivity="internal")
    assert ids(firm, kinds=["security-review"]) == []  # internal: due on day 560
    f.contract(firm, "NW-2", provider="Northwind", status="active", data_sensitivity="restricted")
    assert ids(firm, within_days=9, kinds=["security-review"]) == []
    (found,) = items(firm, within_days=10, kinds=["security-review"])
    assert found.id == f"security-review:{made['id']}:{day(10)}"
    assert "restricted" in found.action


def test_a_note_past_its_review_date_goes_to_its_author_else_the_activity_owner(
    firm: Store,
) -> None:
    f.task(firm, owner="Cy Diaz")
    by_owner = f.note(firm, task="Model upkeep", review_by=day(-1))
    f.note(firm, "Far", review_by=day(31))
    f.note(firm, "Lessons", author="Di Eng", review_by=day(3))
    found = items(firm, kinds=["note-review"])
    assert [i.id for i in found] == [
        f"note-review:{by_owner['id']}:{day(-1)}",
        *[i.id for i in found if i.record_key == "Lessons"],
    ]
    assert [i.responsible for i in found] == [("Cy Diaz",), ("Di Eng",)]


def test_a_proposed_decision_is_due_two_weeks_after_its_date(firm: Store) -> None:
    made = f.decision(firm, date=day(10))
    f.decision(firm, "Ratified", date=day(0), status="ratified")
    assert ids(firm, within_days=23) == []
    (found,) = items(firm, within_days=24)
    assert found.id == f"proposed-decision:{made['id']}:{day(24)}"
    assert found.responsible == ("Ana Lima",)


def test_owner_and_kind_filters(firm: Store) -> None:
    f.contract(firm, "ENG-2", owner="Bo Chen")
    f.deliverable(firm, "A", due_date=day(1))
    f.deliverable(firm, "B", contract="ENG-2", due_date=day(2))
    f.note(firm, review_by=day(1), author="ana lima")
    assert [i.record_key for i in items(firm, owner="ANA LIMA")] == ["ENG-1 / A", "Runbook"]
    assert [i.record_key for i in items(firm, kinds=["note-review"])] == ["Runbook"]


def test_an_acknowledged_item_comes_back_when_its_record_changes(firm: Store) -> None:
    made = f.deliverable(firm, due_date=day(2))
    (item,) = items(firm)
    agenda_acks.acknowledge(
        firm, item_id=item.id, day=item.day, record_kind="deliverable",
        record_id=item.record_id, record_version=item.record_version,
    )  # fmt: skip
    assert items(firm) == []
    (kept,) = items(firm, include_acknowledged=True)
    assert kept.acknowledged
    event = audit.recent(firm, limit=1)[0]
    assert (event["kind"], event["key"], event["action"]) == ("agenda", item.id, "create")
    writes.update(firm, "deliverable", made["id"], {"reviewer": "Bo Chen"}, version=1)
    assert ids(firm) == [item.id]


def test_an_acknowledged_item_comes_back_when_its_date_moves_or_the_ack_is_undone(
    firm: Store,
) -> None:
    made = f.deliverable(firm, due_date=day(2))
    (item,) = items(firm)
    ack = {"record_kind": "deliverable", "record_id": made["id"]}
    agenda_acks.acknowledge(firm, item_id=item.id, day=item.day, record_version=1, **ack)  # type: ignore[arg-type]
    assert ids(firm) == []
    undo.undo_last(firm)
    assert ids(firm) == [item.id]
    agenda_acks.acknowledge(firm, item_id=item.id, day=item.day, record_version=1, **ack)  # type: ignore[arg-type]
    writes.update(firm, "deliverable", made["id"], {"due_date": day(3)}, version=1)
    assert ids(firm) == [f"deliverable-due:{made['id']}:{day(3)}"]


def test_acknowledging_a_record_changed_since_is_refused(firm: Store) -> None:
    made = f.deliverable(firm, due_date=day(2))
    (item,) = items(firm)
    writes.update(firm, "deliverable", made["id"], {"reviewer": "Bo Chen"}, version=1)
    with pytest.raises(ConflictError, match="changed since"):
        agenda_acks.acknowledge(
            firm, item_id=item.id, day=item.day, record_kind="deliverable",
            record_id=made["id"], record_version=item.record_version,
        )  # fmt: skip
    assert len(ids(firm, include_acknowledged=True)) == 1
    assert not items(firm)[0].acknowledged


def test_lead_times_are_a_comma_list_of_days() -> None:
    assert settings.parse("agenda_lead_times", " 7, 90,30,7") == "90,30,7"
    for bad in ("", "7,,3", "ninety", "0", "-5"):
        with pytest.raises(settings.ValidationError):
            settings.parse("agenda_lead_times", bad)


def test_acknowledgements_are_in_the_change_log_by_their_kind(firm: Store) -> None:
    from kpotui.services import change_log

    f.deliverable(firm, due_date=day(2))
    (item,) = items(firm)
    agenda_acks.acknowledge(
        firm, item_id=item.id, day=item.day, record_kind="deliverable",
        record_id=item.record_id, record_version=item.record_version,
    )  # fmt: skip
    flt = audit.LogFilter(kind=change_log.event_kind("agenda"))
    assert [e["key"] for e in audit.recent(firm, flt=flt)] == [item.id]


def test_figures_count_in_sql_what_the_agenda_lists(firm: Store) -> None:
    f.contract(firm, "ENG-2", status="active", end_date=day(-1), owner="Bo Chen")  # lapsed
    for n in range(4):
        f.deliverable(firm, f"D{n}", due_date=day(n * 3 - 4))
    f.note(firm, review_by=day(-2))
    f.decision(firm, date=day(-30))
    first = items(firm)[0]
    agenda_acks.acknowledge(
        firm, item_id=first.id, day=first.day, record_kind=first.record_kind,
        record_id=first.record_id, record_version=first.record_version,
    )  # fmt: skip
    listed = items(firm)
    shown = agenda.figures(firm, TODAY)
    assert (shown.items, shown.overdue) == (len(listed), sum(i.day < TODAY for i in listed))
    assert shown.overdue >= 3


def test_groups_list_the_earliest_items_of_each_up_to_a_limit(firm: Store) -> None:
    for n in range(6):
        f.deliverable(firm, f"Late {n}", due_date=day(-10 + n))
        f.deliverable(firm, f"Soon {n}", due_date=day(1 + n // 3))
    groups, figures = agenda.grouped(firm, TODAY, limit=2)
    assert figures == agenda.figures(firm, TODAY) == agenda.Figures(12, 6)
    assert figures == agenda.figures(firm, TODAY) == agenda.Figures(12, 6)
    assert [i.record_key for i in groups["Overdue"]] == ["ENG-1 / Late 0", "ENG-1 / Late 1"]
    assert [i.day for i in groups["This week"]] == [TODAY + timedelta(days=1)] * 2
    assert groups["Next 30 days"] == groups["Later"] == []
    everything = items(firm)
    assert items(firm, limit=3) == everything[:3]
