"""One record's facts: a contract's notice deadline and saving, a provider's figures for
that provider alone, a deliverable's provider and lateness, a note past its review."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kpotui.services import insights, record_facts, records
from kpotui.services.flags import Flag
from kpotui.services.record_facts import (
    ContractFacts,
    DeliverableFacts,
    NoteFacts,
    ProviderFacts,
)
from kpotui.store import Store
from tests.services import factories as make

TODAY = date(2025, 6, 30)


@pytest.fixture
def firm(store: Store) -> Store:
    make.provider(store, "Meridian", certification_expiry="2025-07-30")
    make.provider(store, "Other")
    make.contract(
        store,
        "ENG-1",
        status="active",
        end_date="2025-07-30",
        notice_days=30,
        value="120000",
        in_house_estimate="150000",
        currency="USD",
    )
    make.contract(
        store, "ENG-2", status="completed", value="80000", in_house_estimate="50000", currency="EUR"
    )
    make.contract(store, "ENG-9", "Other", status="active", value="999", currency="USD")
    make.deliverable(store, "Late", due_date="2025-06-29", submitted_date=None)
    make.deliverable(
        store, "On time", due_date="2025-06-01", status="accepted", submitted_date="2025-05-30"
    )
    make.deliverable(
        store, "Late too", due_date="2025-06-01", status="accepted", submitted_date="2025-06-05"
    )
    make.deliverable(store, "Theirs", "ENG-9", due_date="2025-01-01")
    return store


def facts(store: Store, kind: str, key: dict[str, str]) -> record_facts.RecordFacts | None:
    record = records.find(store, kind, key)
    assert record is not None
    return record_facts.facts_of(store, kind, record, TODAY)


def test_a_contract_s_notice_deadline_and_saving(firm: Store) -> None:
    found = facts(firm, "contract", {"code": "ENG-1"})
    assert isinstance(found, ContractFacts)
    assert found.notice_deadline == date(2025, 6, 30)  # end minus 30 days: today
    assert found.flags == {Flag.INSIDE_NOTICE}
    assert found.saving is not None
    assert (found.saving.amount, found.saving.share) == (Decimal("30000.00"), 0.2)
    assert found.saving.currency == "USD"


def test_a_contract_dearer_than_in_house_costs_and_one_without_end_has_no_deadline(
    firm: Store,
) -> None:
    found = facts(firm, "contract", {"code": "ENG-2"})
    assert isinstance(found, ContractFacts)
    assert found.notice_deadline is None and found.flags == set()
    assert found.saving is not None
    assert (found.saving.amount, found.saving.share) == (Decimal("-30000.00"), 0.6)


def test_without_an_estimate_there_is_no_saving(firm: Store) -> None:
    found = facts(firm, "contract", {"code": "ENG-9"})
    assert isinstance(found, ContractFacts) and found.saving is None


def test_a_provider_s_figures_are_its_own(firm: Store) -> None:
    found = facts(firm, "provider", {"name": "Meridian"})
    assert isinstance(found, ProviderFacts)
    everyone = {r.provider: r for r in insights.reliability(firm, TODAY)}
    assert found.reliability == everyone["Meridian"]
    r = found.reliability
    assert r is not None and (r.delivered, r.on_time, r.overdue) == (2, 1, 1)
    assert [(c.currency, c.contract_value) for c in found.spend] == [
        ("USD", Decimal("120000.00")),
    ]  # the completed EUR contract is spent no more
    assert found.flags == {Flag.CERTIFICATE_EXPIRING}  # expires in exactly 30 days


def test_reliability_and_spend_for_one_provider_read_that_provider_only(firm: Store) -> None:
    other = records.find(firm, "provider", {"name": "Other"})
    assert other is not None
    assert [r.provider for r in insights.reliability(firm, TODAY, provider_id=other["id"])] == [
        "Other"
    ]
    assert [c.provider for c in insights.contract_spend(firm, provider_id=other["id"])] == ["Other"]


def test_a_provider_without_deliverables_has_no_reliability(store: Store) -> None:
    make.provider(store, "New")
    found = facts(store, "provider", {"name": "New"})
    assert isinstance(found, ProviderFacts)
    assert found.reliability is None and found.spend == [] and found.flags == set()


def test_a_deliverable_s_provider_and_lateness(firm: Store) -> None:
    found = facts(firm, "deliverable", {"contract": "ENG-1", "title": "Late"})
    assert isinstance(found, DeliverableFacts)
    assert (found.provider, found.open, found.flags) == ("Meridian", True, {Flag.OVERDUE})
    done = facts(firm, "deliverable", {"contract": "ENG-1", "title": "On time"})
    assert isinstance(done, DeliverableFacts) and not done.open and done.flags == set()


def test_a_note_past_its_review(store: Store) -> None:
    make.note(store, "Old", review_by="2025-06-29")
    make.note(store, "Due today", review_by="2025-06-30")
    old = facts(store, "note", {"title": "Old"})
    today = facts(store, "note", {"title": "Due today"})
    assert isinstance(old, NoteFacts) and old.flags == {Flag.REVIEW_OVERDUE}
    assert isinstance(today, NoteFacts) and today.flags == set()


def test_facts_default_to_the_pinned_clock(firm: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    record = records.find(firm, "contract", {"code": "ENG-1"})
    assert record is not None
    monkeypatch.setenv("KPOTUI_TODAY", "2025-05-31")
    early = record_facts.facts_of(firm, "contract", record)
    assert isinstance(early, ContractFacts) and early.flags == {Flag.NOTICE_SOON}
    monkeypatch.setenv("KPOTUI_TODAY", "2025-07-31")
    late = record_facts.facts_of(firm, "contract", record)
    assert isinstance(late, ContractFacts) and late.flags == {Flag.LAPSED}  # ended yesterday


def test_kinds_without_facts_have_none(firm: Store) -> None:
    make.decision(firm)
    key = {"contract": "ENG-1", "date": "2025-05-01", "summary": "Changed source"}
    assert facts(firm, "decision", key) is None
