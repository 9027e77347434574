"""Exit readiness, the impact of losing a provider, and knowledge holders, on a fixed firm."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from kpotui.services import exit as exits
from kpotui.services import impact, knowledge, records, writes
from kpotui.services.errors import NotFoundError
from kpotui.store import Store
from tests.services import factories as make

TODAY = date(2026, 10, 15)
"""Before ENG-1's notice deadline (2026-11-01)."""

READY: dict[str, Any] = {
    "exit_assets": ["models with history", "source data"],
    "exit_alternative": "in-house",
    "exit_transition_weeks": 8,
    "exit_plan_reviewed": "2026-03-01",
}
"""An exit plan that loses no points."""


@pytest.fixture
def firm(store: Store) -> Store:
    make.provider(store, country="India")
    make.provider(store, "Atlas", country="india")
    make.provider(store, "Elsewhere", country="Poland")
    make.contract(
        store,
        status="active",
        end_date="2026-12-31",
        notice_days=60,
        auto_renew=True,
        value="120000.00",
        currency="EUR",
        owner="Ana",
        **READY,
    )
    make.contract(
        store,
        "ENG-2",
        status="active",
        end_date="2027-03-31",
        notice_days=30,
        value="50000.00",
        currency="USD",
    )
    make.contract(store, "ENG-3", "Atlas", status="on-hold", value="10.00", currency="EUR")
    make.contract(store, "ENG-OLD", status="completed", end_date="2025-06-30", currency="EUR")
    writes.create(store, "rate", {"currency": "USD", "date": "2026-01-01", "rate": "0.9"})
    make.task(
        store,
        "Signal construction",
        contract="ENG-1",
        owner="Ana",
        knowledge_risk="high",
        hours_per_month=40,
        in_house_monthly_cost="9000.00",
        outsourced_monthly_cost="4000.00",
        currency="EUR",
    )
    make.note(store, "Signal runbook", kind="runbook", task="Signal construction", author="Bo")
    make.task(
        store,
        "Filings review",
        classification="non-core",
        contract="ENG-2",
        knowledge_risk="high",
        in_house_monthly_cost="3000.00",
        outsourced_monthly_cost="1500.00",
        currency="USD",
    )
    make.note(store, "Filings lesson", kind="lesson", task="Filings review", review_by="2026-01-01")
    make.deliverable(store, "Q3 pack", "ENG-2", submitted_date="2026-09-01", reviewer="Cy")
    make.deliverable(store, "Old pack", "ENG-2", submitted_date="2025-09-01", reviewer="Di")
    make.deliverable(store, "Q4 pack", "ENG-2", due_date="2026-12-01")
    make.deliverable(store, "Q4 model", "ENG-1", due_date="2026-12-01", status="in-progress")
    make.decision(
        store, "Deleted the raw archive", contract="ENG-OLD", reversible=False, date="2025-05-01"
    )
    return store


def _ready(store: Store, code: str, today: date = TODAY) -> exits.Readiness:
    with store.read() as conn:
        (found,) = exits.readiness_in(conn, exits.contract_ids(conn, code=code), today)
    return found


def _set(store: Store, what: str, key: dict[str, str], **changes: Any) -> None:
    record = records.find(store, what, key)
    assert record is not None
    writes.update(store, what, record["id"], changes, version=record["version"])


# -- readiness ---------------------------------------------------------------------------


def test_a_contract_with_everything_in_place_scores_100(firm: Store) -> None:
    ready = _ready(firm, "ENG-1")
    assert (ready.score, ready.deductions) == (100, [])
    assert ready.assets == ["models with history", "source data"]


def test_a_contract_without_a_plan_loses_points_for_each_rule(firm: Store) -> None:
    ready = _ready(firm, "ENG-2")
    assert [(d.rule, d.points, d.reason) for d in ready.deductions] == [
        ("undocumented", 20, "no runbook or hand-over note for Filings review"),
        ("unowned", 15, "no internal owner for Filings review"),
        ("no-transition", 10, "no transition time estimated"),
        ("no-alternative", 10, "no alternative named"),
        ("plan-not-reviewed", 10, "plan never reviewed"),
    ]
    assert ready.score == 100 - 65
    assert (
        ready.deductions[0].text
        == "\N{MINUS SIGN}20 no runbook or hand-over note for Filings review"
    )


def test_a_stale_runbook_loses_ten(firm: Store) -> None:
    _set(firm, "note", {"title": "Signal runbook"}, review_by="2026-10-14")
    (deduction,) = _ready(firm, "ENG-1").deductions
    assert (deduction.rule, deduction.points) == ("stale-runbook", 10)
    assert "Signal construction" in deduction.reason


def test_a_hand_over_note_documents_an_activity_as_a_runbook_does(firm: Store) -> None:
    _set(firm, "note", {"title": "Filings lesson"}, kind="handover", review_by=None)
    assert "undocumented" not in {d.rule for d in _ready(firm, "ENG-2").deductions}


def test_a_transition_longer_than_the_notice_loses_fifteen(firm: Store) -> None:
    _set(firm, "contract", {"code": "ENG-1"}, exit_transition_weeks=16)
    (deduction,) = _ready(firm, "ENG-1").deductions
    assert (deduction.rule, deduction.points) == ("long-transition", 15)
    assert deduction.reason == "transition takes 16 weeks, notice is 60 days"


def test_a_plan_reviewed_over_a_year_ago_loses_ten(firm: Store) -> None:
    assert _ready(firm, "ENG-1", date(2027, 3, 1)).score == 100  # 365 days: still fine
    (deduction,) = _ready(firm, "ENG-1", date(2027, 4, 5)).deductions
    assert (deduction.rule, deduction.reason) == (
        "plan-not-reviewed",
        "plan not reviewed for 400 days",
    )


def test_an_irreversible_provider_decision_loses_ten(firm: Store) -> None:
    make.decision(firm, "Deleted the raw archive", reversible=False, date="2026-10-09")
    make.decision(firm, "Changed the vendor", reversible=True, date="2026-10-09")
    make.decision(firm, "We dropped a feed", reversible=False, made_by="in-house")
    (deduction,) = _ready(firm, "ENG-1").deductions
    assert (deduction.rule, deduction.points) == ("irreversible-decision", 10)
    assert deduction.reason == (
        "provider: Deleted the raw archive (irreversible decision 2026-10-09)"
    )


def test_every_rule_is_tested_and_documented() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "exit.md").read_text()
    tested = Path(__file__).read_text()
    for rule in exits.RULES.values():
        assert f"`{rule.name}`" in docs and f"| {rule.points} |" in docs
        assert f'"{rule.name}"' in tested, rule.name


def test_the_score_never_goes_below_zero(firm: Store) -> None:
    for n in range(6):
        make.task(firm, f"Unowned {n}", contract="ENG-2")
    assert _ready(firm, "ENG-2").score == 0


def test_least_ready_lists_core_work_first(firm: Store) -> None:
    count, found = exits.least_ready(firm, TODAY)
    assert count == 3
    # ENG-1 scores 100 but covers core work; then ENG-2 (35) before ENG-3 (70).
    assert [(r.code, r.score) for r in found] == [("ENG-1", 100), ("ENG-2", 35), ("ENG-3", 70)]


# -- earliest exit -------------------------------------------------------------------------


def test_earliest_exit_is_the_term_end_before_the_notice_deadline_and_the_next_after(
    firm: Store,
) -> None:
    assert _ready(firm, "ENG-1", date(2026, 11, 1)).earliest_exit == date(2026, 12, 31)
    assert _ready(firm, "ENG-1", date(2026, 11, 2)).earliest_exit == date(2027, 12, 31)
    # Without auto-renewal the contract ends at its term's end, notice or not.
    assert _ready(firm, "ENG-2", date(2027, 3, 15)).earliest_exit == date(2027, 3, 31)
    # Without an end date: the notice period from today (none given: today).
    assert _ready(firm, "ENG-3").earliest_exit == TODAY


# -- impact --------------------------------------------------------------------------------


def test_impact_of_losing_a_provider(firm: Store) -> None:
    found = impact.impact(firm, provider="meridian", today=TODAY)
    assert found.providers == ["Meridian"]
    assert [
        (c.code, c.term_end, c.earliest_exit, c.open_deliverables) for c in found.contracts
    ] == [
        ("ENG-1", date(2026, 12, 31), date(2026, 12, 31), 1),
        ("ENG-2", date(2027, 3, 31), date(2027, 3, 31), 1),
    ]
    assert found.take_back.native == {"EUR": Decimal("9000.00"), "USD": Decimal("3000.00")}
    assert found.take_back.converted == Decimal("11700.00")
    assert found.paid_now.converted == Decimal("5350.00")
    assert found.value.converted == Decimal("165000.00")
    assert found.open_deliverables == 2
    assert [(a.name, a.notes_state) for a in found.activities] == [
        ("Filings review", "stale"),
        ("Signal construction", "fresh"),
    ]
    assert [a.name for a in found.undocumented] == ["Filings review"]
    assert [(found.codes[d.contract_id], d.summary) for d in found.decisions] == [
        ("ENG-OLD", "Deleted the raw archive")
    ]


def test_impact_of_losing_a_country_takes_every_provider_there(firm: Store) -> None:
    found = impact.impact(firm, country="INDIA", today=TODAY)
    assert found.providers == ["Atlas", "Meridian"]
    assert [c.code for c in found.contracts] == ["ENG-1", "ENG-2", "ENG-3"]


def test_impact_of_an_unknown_provider_is_refused(firm: Store) -> None:
    with pytest.raises(NotFoundError, match="no provider named 'Nobody'"):
        impact.impact(firm, provider="Nobody", today=TODAY)
    with pytest.raises(NotFoundError, match="no provider in country 'Chile'"):
        impact.impact(firm, country="Chile", today=TODAY)


# -- knowledge holders -------------------------------------------------------------------


def test_holders_are_the_owner_fresh_note_authors_and_recent_reviewers(firm: Store) -> None:
    found = {h.name: h for h in knowledge.by_activity(firm, TODAY)}
    assert found["Signal construction"].holders == ["Ana", "Bo"]
    assert found["Filings review"].holders == ["Cy"]  # Di reviewed over 180 days ago
    assert [h.name for h in knowledge.thinly_held(firm, TODAY)] == ["Filings review"]


def test_by_person_what_the_firm_loses(firm: Store) -> None:
    found = {p.person: p for p in knowledge.by_person(firm, TODAY)}
    assert found["Cy"].sole_holder_of == ["Filings review"]
    assert (found["Ana"].sole_holder_of, found["Ana"].holds) == ([], 1)
    assert found["Ana"].contracts_owned == ["ENG-1"]
