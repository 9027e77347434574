"""Every insight query on a small hand-made firm whose right answers are worked out below.

Today is 2025-06-30; the quarter runs 2025-04-01 .. 2025-06-30.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kpotui.services import insights
from kpotui.store import Store
from tests.services import factories as make

TODAY = date(2025, 6, 30)


@pytest.fixture
def firm(store: Store) -> Store:
    make.provider(store, "Anand Analytics", country="India")
    make.provider(store, "Baltic Research", country="Poland")
    make.provider(store, "Chennai Data", country="India")
    usd = {"currency": "USD", "start_date": "2025-01-01"}
    # notice deadline 2025-06-16: inside notice today
    make.contract(
        store,
        "ENG-A1",
        "Anand Analytics",
        status="active",
        end_date="2025-08-15",
        notice_days=60,
        value="100000",
        in_house_estimate="150000",
        auto_renew=True,
        **usd,
    )
    make.contract(
        store,
        "ENG-A2",
        "Anand Analytics",
        status="draft",
        end_date="2025-07-10",
        value="50000",
        **usd,
    )  # a draft: no spend, no renewal
    # deadline 2025-08-31: more than 30 days away, not listed
    make.contract(
        store,
        "ENG-B1",
        "Baltic Research",
        status="active",
        end_date="2025-09-30",
        notice_days=30,
        value="60000",
        in_house_estimate="50000",
        **usd,
    )
    make.contract(
        store,
        "ENG-B2",
        "Baltic Research",
        status="completed",
        end_date="2025-03-31",
        value="40000",
        currency="EUR",
        start_date="2025-01-01",
    )
    # deadline 2025-07-21: within the 30-day warning, not yet inside notice
    make.contract(
        store,
        "ENG-C1",
        "Chennai Data",
        status="active",
        end_date="2025-08-20",
        notice_days=30,
        value="40000",
        **usd,
    )

    def owed(contract: str, title: str, due: str, status: str, **more: object) -> None:
        make.deliverable(store, title, contract=contract, due_date=due, status=status, **more)

    owed("ENG-A1", "A overdue", "2025-06-20", "in-progress")
    owed("ENG-A1", "A rework", "2025-06-25", "rework")
    owed(
        "ENG-A1",
        "A on time",
        "2025-05-31",
        "accepted",
        submitted_date="2025-05-30",
        accepted_date="2025-06-02",
        quality_score=4,
    )
    owed(
        "ENG-A1",
        "A late",
        "2025-05-15",
        "accepted",
        submitted_date="2025-05-20",
        accepted_date="2025-05-22",
        quality_score=2,
    )
    owed("ENG-A1", "A due in 14 days", "2025-07-14", "planned")
    owed("ENG-A1", "A due in 15 days", "2025-07-15", "planned")
    owed("ENG-B1", "B due today", "2025-06-30", "planned")
    owed("ENG-B1", "B submitted late", "2025-06-01", "submitted", submitted_date="2025-06-10")
    owed("ENG-B1", "B cancelled", "2025-05-01", "cancelled")
    owed(
        "ENG-B1",
        "B on time",
        "2025-04-30",
        "accepted",
        submitted_date="2025-04-30",
        accepted_date="2025-05-02",
        quality_score=5,
    )

    make.task(
        store,
        "Earnings models",
        contract="ENG-A1",
        owner="Priya",
        in_house_monthly_cost="5000",
        outsourced_monthly_cost="2000",
    )
    make.task(
        store,
        "ESG scoring",
        contract="ENG-A1",
        in_house_monthly_cost="1000",
        outsourced_monthly_cost="500",
    )
    make.task(store, "Alt-data signals", sourcing="hybrid", contract="ENG-B1", owner="Tomás")
    make.task(
        store,
        "Investment committee",
        sourcing="in-house",
        owner="Zoë",
        in_house_monthly_cost="8000",
    )
    make.task(
        store,
        "Filing",
        classification="non-core",
        contract="ENG-C1",
        in_house_monthly_cost="3000",
        outsourced_monthly_cost="1000",
    )
    make.task(
        store,
        "Bookkeeping",
        classification="non-core",
        sourcing="in-house",
        in_house_monthly_cost="1200.50",
    )
    make.note(store, "Earnings runbook", task="Earnings models", review_by="2025-06-30")
    make.note(store, "ESG method", task="ESG scoring")
    make.note(store, "Signals handover", task="Alt-data signals", review_by="2025-03-31")

    def decided(contract: str, day: str, summary: str, **more: object) -> None:
        make.decision(store, summary, contract=contract, date=day, **more)

    decided("ENG-A1", "2025-04-01", "Dropped legacy comps", reversible=False, impact="high")
    decided("ENG-B1", "2025-06-30", "New survey panel")
    decided("ENG-A1", "2025-03-31", "Restated history", reversible=False)
    decided("ENG-A1", "2025-05-05", "Ended pilot", made_by="in-house", reversible=False)
    decided("ENG-C1", "2025-07-01", "Next quarter's choice")
    return store


def test_overdue_and_due_within_two_weeks(firm: Store) -> None:
    due = insights.due_work(firm, TODAY)
    assert (due.overdue_count, due.due_soon_count) == (2, 2)
    assert [(d.title, d.days_late) for d in due.overdue] == [("A overdue", 10), ("A rework", 5)]
    assert [(d.title, d.days_late) for d in due.due_soon] == [
        ("B due today", 0),
        ("A due in 14 days", -14),
    ]
    assert due.overdue[0].provider == "Anand Analytics"


def test_core_non_core_matrix_with_monthly_costs(firm: Store) -> None:
    matrix = insights.sourcing_matrix(firm, TODAY)
    cells = {(c.classification, c.sourcing): c for c in matrix.cells}
    assert len(cells) == 6
    got = {
        k: (c.count, c.in_house_monthly_cost, c.outsourced_monthly_cost) for k, c in cells.items()
    }
    eur = "EUR"  # the reporting currency, which activities take when given none
    assert got == {
        ("core", "in-house"): (1, {eur: Decimal("8000.00")}, {}),
        ("core", "outsourced"): (2, {eur: Decimal("6000.00")}, {eur: Decimal("2500.00")}),
        ("core", "hybrid"): (1, {}, {}),
        ("non-core", "in-house"): (1, {eur: Decimal("1200.50")}, {}),
        ("non-core", "outsourced"): (1, {eur: Decimal("3000.00")}, {eur: Decimal("1000.00")}),
        ("non-core", "hybrid"): (0, {}, {}),
    }
    assert matrix.outsourced_cost.native == {eur: Decimal("3500.00")}
    assert matrix.outsourced_in_house_cost.converted == Decimal("9000.00")


def test_retention_coverage_and_core_work_at_risk(firm: Store) -> None:
    kept = insights.retention(firm, TODAY)
    assert (kept.outsourced, kept.with_owner, kept.with_fresh_note, kept.covered) == (4, 2, 2, 1)
    assert [(r.name, r.reasons) for r in kept.at_risk] == [
        ("Alt-data signals", ["only stale notes"]),
        ("ESG scoring", ["no internal owner"]),
    ]
    assert kept.at_risk_count == 2


def test_retention_lists_the_first_at_risk_by_name_and_counts_them_all(firm: Store) -> None:
    make.task(firm, "Audit prep", owner="Ana")  # core, outsourced, no note at all
    kept = insights.retention(firm, TODAY, limit=2)
    assert [(r.name, r.reasons) for r in kept.at_risk] == [
        ("Alt-data signals", ["only stale notes"]),
        ("Audit prep", ["no retention note"]),
    ]
    assert (kept.at_risk_count, kept.outsourced, kept.with_owner, kept.covered) == (3, 5, 3, 1)
    assert insights.retention(firm, TODAY, limit=0).at_risk == []
    assert len(insights.retention(firm, TODAY).at_risk) == 3


def test_retention_lists_high_knowledge_risk_first_and_follows_edits(firm: Store) -> None:
    from kpotui.services import writes

    zeta = make.task(firm, "Zeta pricing model", owner="Ana", knowledge_risk="high")
    make.task(firm, "Yield curves", owner="Ana", knowledge_risk="medium")
    kept = insights.retention(firm, TODAY)
    assert [r.name for r in kept.at_risk] == [
        "Zeta pricing model",
        "Yield curves",
        "Alt-data signals",
        "ESG scoring",
    ]
    assert kept.at_risk[0].reasons == ["high knowledge risk", "no retention note"]
    assert [r.name for r in insights.retention(firm, TODAY, limit=1).at_risk] == [
        "Zeta pricing model"
    ]
    writes.update(firm, "task", zeta["id"], {"knowledge_risk": "low"}, version=zeta["version"])
    kept = insights.retention(firm, TODAY, limit=2)
    assert [r.name for r in kept.at_risk] == ["Yield curves", "Zeta pricing model"]
    assert kept.at_risk_count == 4


def test_retention_walks_each_knowledge_risk_level_when_plenty_are_at_risk(firm: Store) -> None:
    """Enough at risk for the name-order walk of a level: the order still holds."""
    for n in range(25):
        make.task(firm, f"Low {n:02}", owner="Ana", knowledge_risk="low")
    make.task(firm, "Zz high", owner="Ana", knowledge_risk="high")
    kept = insights.retention(firm, TODAY, limit=2)
    assert [r.name for r in kept.at_risk] == ["Zz high", "Low 00"]
    assert kept.at_risk_count == 28


def test_a_contract_without_an_in_house_estimate_is_left_out_of_the_saving(
    firm: Store,
) -> None:
    """Its value still counts as spend; set against no estimate it would be a loss."""
    make.contract(firm, "ENG-A9", "Anand Analytics", status="active", value="30000", currency="USD")
    by_contract, _ = insights.provider_costs(firm)
    anand = next(c for c in by_contract if c.provider == "Anand Analytics")
    assert (anand.contract_value, anand.contracts) == (Decimal("130000.00"), 2)
    assert (anand.in_house_estimate, anand.estimated_value) == (
        Decimal("150000.00"),
        Decimal("100000.00"),
    )
    assert anand.saving == Decimal("50000.00")


def test_cost_per_provider_against_in_house(firm: Store) -> None:
    by_contract, by_activity = insights.provider_costs(firm)
    assert [(c.provider, c.currency, c.contract_value, c.saving) for c in by_contract] == [
        ("Anand Analytics", "USD", Decimal("100000.00"), Decimal("50000.00")),
        ("Baltic Research", "USD", Decimal("60000.00"), Decimal("-10000.00")),
        ("Chennai Data", "USD", Decimal("40000.00"), None),  # no estimate: no saving
    ]  # Baltic's completed EUR contract is not spent any more
    activity = {
        a.provider: (a.activities, a.outsourced_monthly_cost, a.in_house_monthly_cost)
        for a in by_activity
    }
    assert activity == {
        "Anand Analytics": (2, Decimal("2500.00"), Decimal("6000.00")),
        "Baltic Research": (1, Decimal("0.00"), Decimal("0.00")),
        "Chennai Data": (1, Decimal("1000.00"), Decimal("3000.00")),
        None: (2, Decimal("0.00"), Decimal("9200.50")),
    }


def test_provider_reliability(firm: Store) -> None:
    rows = {r.provider: r for r in insights.reliability(firm, TODAY)}
    a, b, c = rows["Anand Analytics"], rows["Baltic Research"], rows["Chennai Data"]
    assert (a.deliverables, a.delivered, a.on_time, a.average_quality, a.overdue) == (
        6,
        2,
        1,
        3.0,
        2,
    )
    assert (a.accepted, a.first_time_right, a.rework_rounds) == (2, 2, 1)
    assert a.on_time_rate == 0.5 and a.first_time_right_rate == 1.0
    assert (b.deliverables, b.delivered, b.on_time, b.average_quality, b.overdue) == (
        4,
        2,
        1,
        5.0,
        0,
    )
    assert (b.accepted, b.first_time_right, b.rework_rounds) == (1, 1, 0)
    assert (c.deliverables, c.on_time_rate, c.average_quality) == (0, None, None)
    assert c.first_time_right_rate is None


def test_reliability_with_work_leaves_out_and_counts_providers_without_deliverables(
    firm: Store,
) -> None:
    working = [r.provider for r in insights.reliability(firm, TODAY, with_work=True)]
    assert working == ["Anand Analytics", "Baltic Research"]
    assert insights.providers_without_work(firm) == 1  # Chennai Data
    make.provider(firm, "Dnipro Desk", country="Ukraine")
    assert insights.providers_without_work(firm) == 2
    assert len(insights.reliability(firm, TODAY, with_work=True)) == 2


def test_contracts_ending_or_renewing_inside_notice(firm: Store) -> None:
    found = insights.renewals(firm, TODAY)
    assert [(r.code, r.notice_deadline, r.inside_notice(TODAY)) for r in found] == [
        ("ENG-A1", date(2025, 6, 16), True),
        ("ENG-C1", date(2025, 7, 21), False),
    ]
    assert found[0].auto_renew is True


def test_provider_decisions_this_quarter(firm: Store) -> None:
    log = insights.provider_decisions(firm, date(2025, 4, 1), date(2025, 6, 30))
    assert (log.total, log.irreversible) == (2, 1)
    assert [d.summary for d in log.items] == ["New survey panel", "Dropped legacy comps"]
    only = insights.provider_decisions(
        firm, date(2025, 4, 1), date(2025, 6, 30), irreversible_only=True
    )
    assert [(d.summary, d.reversible) for d in only.items] == [("Dropped legacy comps", False)]
    assert insights.quarter_of(TODAY) == (date(2025, 4, 1), date(2025, 6, 30))
    assert insights.quarter_of(date(2025, 12, 31)) == (date(2025, 10, 1), date(2025, 12, 31))


def test_spend_concentration_by_provider_and_country(firm: Store) -> None:
    spread = insights.concentration(firm, TODAY)
    by_provider, by_country = spread.by_provider, spread.by_country
    assert not spread.converted and spread.spend.missing == ("USD",)  # EUR reports, no rate
    assert [(s.name, s.currency, s.share) for s in by_provider] == [
        ("Anand Analytics", "USD", 0.5),
        ("Baltic Research", "USD", 0.3),
        ("Chennai Data", "USD", 0.2),
    ]
    assert [(s.name, s.currency, s.amount, s.share) for s in by_country] == [
        ("India", "USD", Decimal("140000.00"), 0.7),
        ("Poland", "USD", Decimal("60000.00"), 0.3),
    ]


def test_summary_brings_the_headlines_together(firm: Store) -> None:
    summary = insights.summary(firm, TODAY)
    assert summary["overdue_deliverables"] == 2
    assert summary["due_in_14_days"] == 2
    assert summary["outsourced_core_at_risk"] == 2
    assert summary["retention_covered"] == {"covered": 1, "outsourced": 4}
    assert summary["contracts_in_notice"] == 2  # ENG-A1 inside notice, ENG-C1 near it
    assert summary["contracts_lapsed"] == 0
    assert summary["provider_decisions_this_quarter"] == 2
    assert summary["irreversible_provider_decisions_this_quarter"] == 1
    assert summary["largest_provider_share"] == [
        {"provider": "Anand Analytics", "share": 0.5, "currency": "USD"}
    ]
    assert summary["records"]["deliverable"] == 10
