"""SLA figures and breaches: pinned for a fixed firm across period boundaries, and
recounted from the records after edits."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kpotui.services import insights, records, settings, sla, writes
from kpotui.services.errors import NotFoundError, ServiceError
from kpotui.services.periods import MONTH, QUARTER, Period, parse_period, period_of
from kpotui.store import Store
from tests.services import factories as make

TODAY = date(2025, 10, 15)
Q3 = Period(2025, 3, QUARTER)
Q4 = Period(2025, 4, QUARTER)


def update(store: Store, kind: str, key: dict[str, Any], **changes: Any) -> dict[str, Any]:
    current = records.find(store, kind, key)
    assert current is not None
    return writes.update(store, kind, current["id"], changes, version=current["version"])


def sent_back_twice_then_accepted(store: Store, title: str) -> None:
    make.deliverable(store, title, due_date="2025-07-10", submitted_date="2025-07-09")
    key = {"contract": "ENG-1", "title": title}
    update(store, "deliverable", key, status="rework")
    update(store, "deliverable", key, status="submitted", submitted_date="2025-07-20")
    update(store, "deliverable", key, status="rework")
    update(
        store,
        "deliverable",
        key,
        status="accepted",
        submitted_date="2025-07-25",
        accepted_date="2025-07-28",
        quality_score=4,
    )


@pytest.fixture
def firm(store: Store) -> Store:
    """ENG-1 (targets: 80% on time, quality 4.0, 0.5 rounds; by quarter) and ENG-2 (none).

    2025Q3: three due and one cancelled: one due and delivered on the quarter's last
    day, one late, one sent back twice then accepted. 2025Q4 (today's): one due on its
    first day and delivered late, one not due yet: too few for a breach.
    """
    make.provider(store, "Meridian")
    make.contract(
        store,
        "ENG-1",
        owner="Ana",
        sla_on_time_pct=80,
        sla_min_quality=4.0,
        sla_max_rework=0.5,
    )
    make.contract(store, "ENG-2")
    accepted = {"accepted_date": "2025-09-30", "quality_score": 5}
    make.deliverable(store, "A", due_date="2025-09-30", submitted_date="2025-09-30", **accepted)
    make.deliverable(
        store,
        "B",
        due_date="2025-08-15",
        submitted_date="2025-08-20",
        accepted_date="2025-08-22",
        quality_score=3,
    )
    sent_back_twice_then_accepted(store, "C")
    make.deliverable(store, "D", due_date="2025-09-01", status="cancelled")
    make.deliverable(
        store,
        "E",
        due_date="2025-10-01",
        submitted_date="2025-10-05",
        accepted_date="2025-10-06",
        quality_score=2,
    )
    make.deliverable(store, "F", due_date="2025-10-31")
    make.deliverable(store, "G", contract="ENG-2", due_date="2025-09-15")
    return store


def test_periods_parse_and_cover_their_days() -> None:
    assert parse_period("2026Q3") == Period(2026, 3, QUARTER)
    assert parse_period(" 2026-09 ") == Period(2026, 9, MONTH)
    assert (Q3.start, Q3.end) == (date(2025, 7, 1), date(2025, 9, 30))
    assert Period(2024, 2, MONTH).end == date(2024, 2, 29)
    assert period_of(date(2025, 9, 30), QUARTER) == Q3
    assert period_of(date(2025, 10, 1), QUARTER) == Q4
    assert [p.label for p in Period(2025, 1, QUARTER).last(3)] == ["2024Q3", "2024Q4", "2025Q1"]
    assert Period(2025, 1, MONTH).shifted(-1).label == "2024-12"
    for bad in ("2026Q5", "2026-13", "2026-9", "Q3", "0000Q1", ""):
        with pytest.raises(ServiceError, match="not a quarter such as 2026Q3"):
            parse_period(bad)


def test_figures_and_breaches_of_a_past_quarter(firm: Store) -> None:
    (shown,) = sla.contracts_sla(firm, TODAY, period=Q3)
    assert shown.code == "ENG-1"  # ENG-2 has no target
    figures = shown.periods[0].figures
    assert (figures.due, figures.delivered, figures.settled, figures.on_time) == (3, 3, 3, 2)
    assert (figures.accepted, figures.first_time_right, figures.rework_rounds) == (3, 2, 2)
    assert figures.average_quality == 4.0
    checks = {c.target: (c.missed, c.breach) for c in shown.periods[0].checks}
    assert checks == {"on_time": (True, True), "quality": (False, False), "rework": (True, True)}
    found = sla.breaches(firm, TODAY, period=Q3)
    assert [(b.contract, b.owner, b.period, b.target) for b in found] == [
        ("ENG-1", "Ana", "2025Q3", "on_time"),
        ("ENG-1", "Ana", "2025Q3", "rework"),
    ]
    assert found[0].actual == pytest.approx(200 / 3)


def test_the_current_quarter_misses_targets_with_too_few_due(firm: Store) -> None:
    (shown,) = sla.contracts_sla(firm, TODAY)
    current = shown.periods[0]
    assert current.period == Q4
    assert (current.figures.due, current.figures.settled, current.figures.on_time) == (2, 1, 0)
    assert [(c.target, c.missed, c.breach) for c in current.checks] == [
        ("on_time", True, False),
        ("quality", True, False),
        ("rework", False, False),
    ]
    assert sla.breaches(firm, TODAY) == []
    settings.set_value(firm, "sla_min_deliverables", 2)
    assert [b.target for b in sla.breaches(firm, TODAY)] == ["on_time", "quality"]
    assert sla.providers_in_breach(firm, TODAY) == {"Meridian"}


def test_a_monthly_contract_is_counted_by_month(firm: Store) -> None:
    update(firm, "contract", {"code": "ENG-1"}, sla_period="month")
    (shown,) = sla.contracts_sla(firm, TODAY)
    assert shown.periods[0].period.label == "2025-10"
    trend = sla.contract_trend(firm, "ENG-1", TODAY, count=3)
    assert [(p.period.label, p.figures.due, p.figures.on_time) for p in trend.periods] == [
        ("2025-08", 1, 0),
        ("2025-09", 1, 1),
        ("2025-10", 2, 0),
    ]


def test_trends_per_contract_and_provider(firm: Store) -> None:
    trend = sla.contract_trend(firm, "ENG-1", TODAY)
    assert [p.period.label for p in trend.periods][-3:] == ["2025Q2", "2025Q3", "2025Q4"]
    assert len(trend.periods) == sla.TREND_PERIODS
    assert trend.periods[-3].figures == sla.Figures()
    assert [c.target for c in trend.periods[-2].breaches] == ["on_time", "rework"]
    by_provider = sla.provider_trend(firm, "Meridian", TODAY, count=2)
    assert [(p.figures.due, p.figures.settled) for p in by_provider] == [(4, 4), (2, 1)]
    series = sla.on_time_series(firm, TODAY, count=2)
    assert series == {"Meridian": [pytest.approx(50.0), 0.0]}
    with pytest.raises(NotFoundError, match="no provider named 'Nobody'"):
        sla.provider_trend(firm, "Nobody", TODAY)
    with pytest.raises(NotFoundError, match="ENG-9"):
        sla.contract_trend(firm, "ENG-9", TODAY)


def recount(store: Store, period: Period) -> dict[str, sla.Figures]:
    """Per contract code, the figures counted in Python from every deliverable listed."""
    codes = {c["id"]: c["code"] for c in make.listed(store, "contract")}
    found: dict[str, list[int]] = {}
    for d in make.listed(store, "deliverable"):
        if d["status"] == "cancelled" or not period.start <= d["due_date"] <= period.end:
            continue
        delivered = d["submitted_date"] is not None
        first = d["first_submitted_date"] or d["submitted_date"]
        scored = d["status"] == "accepted" and d["quality_score"] is not None
        row = found.setdefault(d["contract"], [0] * 9)
        for i, n in enumerate(
            (
                1,
                delivered,
                delivered or d["due_date"] < TODAY,
                delivered and first <= d["due_date"],
                d["status"] == "accepted",
                d["status"] == "accepted" and d["rework_rounds"] == 0,
                d["quality_score"] if scored else 0,
                scored,
                d["rework_rounds"] if delivered else 0,
            )
        ):
            row[i] += int(n)
    assert set(found) <= set(codes.values())
    return {code: sla.Figures(*counts) for code, counts in found.items()}


def counted(store: Store, period: Period) -> dict[str, sla.Figures]:
    for code in ("ENG-1", "ENG-2"):  # every contract counted: each gets a target
        update(store, "contract", {"code": code}, sla_on_time_pct=50)
    got = {c.code: c.periods[0].figures for c in sla.contracts_sla(store, TODAY, period=period)}
    return {code: figures for code, figures in got.items() if figures.due}


def test_figures_recount_from_scratch_after_edits(firm: Store) -> None:
    update(firm, "deliverable", {"contract": "ENG-1", "title": "B"}, due_date="2025-10-02")
    update(firm, "deliverable", {"contract": "ENG-1", "title": "D"}, status="planned")
    update(firm, "deliverable", {"contract": "ENG-1", "title": "A"}, status="rework")
    update(firm, "deliverable", {"contract": "ENG-2", "title": "G"}, contract="ENG-1")
    current = records.find(firm, "deliverable", {"contract": "ENG-1", "title": "E"})
    assert current is not None
    writes.delete(firm, "deliverable", current["id"], version=current["version"])
    for period in (Q3, Q4, Period(2025, 9, MONTH)):
        assert counted(firm, period) == recount(firm, period), period.label
    # The same rules as the provider figures: summed over every period they agree.
    every = sla.provider_trend(firm, "Meridian", TODAY, count=2)
    (reliability,) = insights.reliability(firm, TODAY)
    totals = [sum(getattr(p.figures, n) for p in every) for n in ("delivered", "on_time")]
    assert totals == [reliability.delivered, reliability.on_time]
    accepted = [sum(getattr(p.figures, n) for p in every) for n in ("accepted", "first_time_right")]
    assert accepted == [reliability.accepted, reliability.first_time_right]


def test_the_least_deliverables_due_for_a_breach_is_a_firm_setting(store: Store) -> None:
    assert settings.get(store, settings.SLA_MIN_DELIVERABLES) == 3
    with pytest.raises(ServiceError, match="sla_min_deliverables: 0 is out of range"):
        settings.set_value(store, "sla_min_deliverables", 0)
    assert settings.set_value(store, "sla_min_deliverables", "5").value == 5


def test_a_breach_is_an_agenda_item_for_the_contracts_owner(firm: Store) -> None:
    from kpotui.services import agenda

    def breaches(**options: Any) -> list[agenda.Item]:
        return agenda.agenda(firm, TODAY, kinds=["sla-breach"], **options)

    assert breaches() == []  # missed with too few due: no breach, no item
    before = agenda.figures(firm, TODAY)
    settings.set_value(firm, "sla_min_deliverables", 2)
    (item,) = breaches()
    contract = records.find(firm, "contract", {"code": "ENG-1"})
    assert contract is not None
    assert item.id == f"sla-breach:{contract['id']}:2025-10-01"  # the period's first day
    assert item.group(TODAY) == "Overdue" and item.responsible == ("Ana",)
    assert "SLA missed in 2025Q4: on time 0% (target ≥ 80%); quality" in item.action
    assert breaches(owner="ana") == [item] and breaches(owner="Bo") == []
    after = agenda.figures(firm, TODAY)
    assert (after.items, after.overdue) == (before.items + 1, before.overdue + 1)
    update(firm, "contract", {"code": "ENG-1"}, sla_on_time_pct=None, sla_min_quality=None)
    assert breaches() == []
