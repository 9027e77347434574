"""A contract's current term: month arithmetic, rolling on, lapsing, and the wording of
each; and the renewals insight and figures built on it."""

from __future__ import annotations

from datetime import date

import pytest

from kpotui.services import insights, record_facts, records
from kpotui.services.terms import Term, add_months, current_term, outlook, rolled_end
from kpotui.store import Store
from tests.services import factories as make


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2025, 1, 31), 6, date(2025, 7, 31)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 3, 31), 0, date(2025, 3, 31)),
    ],
)
def test_months_are_added_with_the_day_clamped(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("end", "months", "today", "expected"),
    [
        (date(2025, 8, 31), 12, date(2026, 12, 3), date(2027, 8, 31)),
        (date(2025, 8, 31), 12, date(2025, 8, 31), date(2025, 8, 31)),  # ends today: not yet
        (date(2025, 8, 31), 12, date(2025, 9, 1), date(2026, 8, 31)),
        (date(2025, 1, 31), 6, date(2025, 8, 1), date(2026, 1, 31)),
        (date(2025, 1, 31), 6, date(2026, 2, 1), date(2026, 7, 31)),
        (date(2025, 1, 31), 1, date(2025, 2, 2), date(2025, 2, 28)),
        (date(2025, 1, 31), 1, date(2025, 3, 1), date(2025, 3, 31)),  # back on the 31st
        (date(2024, 8, 31), 6, date(2025, 3, 1), date(2025, 8, 31)),  # no drift to the 28th
        (date(2020, 2, 29), 12, date(2025, 3, 1), date(2026, 2, 28)),
        (date(2030, 1, 1), 12, date(2025, 1, 1), date(2030, 1, 1)),  # not ended: unchanged
    ],
)
def test_a_term_rolls_on_by_whole_terms_until_today_or_later(
    end: date, months: int, today: date, expected: date
) -> None:
    assert rolled_end(end, months, today) == expected


def _term(
    *,
    status: str = "active",
    auto_renew: bool = True,
    renewal_term_months: int | None = 12,
    today: date = date(2026, 12, 3),
) -> Term:
    """The issue's contract: ended 2025-08-31, 90 days' notice."""
    return current_term(
        status=status,
        end_date=date(2025, 8, 31),
        notice_days=90,
        auto_renew=auto_renew,
        renewal_term_months=renewal_term_months,
        today=today,
    )


def test_the_issue_s_auto_renewing_contract() -> None:
    term = _term()
    assert term == _term(renewal_term_months=None)  # empty: 12 months
    assert (term.end, term.notice_deadline) == (date(2027, 8, 31), date(2027, 6, 2))
    assert term.rolled and not term.lapsed
    wording = outlook(term, status="active", auto_renew=True)
    assert wording == "renews to 2027-08-31 unless notice by 2027-06-02"


def test_only_a_live_contract_rolls_on_or_lapses() -> None:
    for status in ("completed", "terminated", "draft"):
        term = _term(status=status)
        assert term.end == date(2025, 8, 31)
        assert not term.rolled and not term.lapsed
    held = _term(status="on-hold", auto_renew=False)
    assert held.lapsed and held.end == date(2025, 8, 31)
    wording = outlook(held, status="on-hold", auto_renew=False)
    assert wording == "ended 2025-08-31, still on hold: renew, complete or terminate"


def test_a_contract_not_yet_ended_keeps_its_end_date() -> None:
    term = _term(today=date(2025, 5, 1))
    assert (term.end, term.rolled, term.lapsed) == (date(2025, 8, 31), False, False)
    renews = outlook(term, status="active", auto_renew=True)
    assert renews == "ends 2025-08-31, renews unless notice by 2025-06-02"
    ends = outlook(
        _term(auto_renew=False, today=date(2025, 5, 1)), status="active", auto_renew=False
    )
    assert ends == "ends 2025-08-31, notice by 2025-06-02"


TODAY = date(2026, 12, 3)


@pytest.fixture
def firm(store: Store) -> Store:
    make.provider(store)
    make.contract(
        store,
        "ENG-ROLL",
        status="active",
        end_date="2025-08-31",
        notice_days=90,
        auto_renew=True,
        renewal_term_months=12,
    )
    make.contract(store, "ENG-LAPSED", status="active", end_date="2026-11-02", notice_days=30)
    # auto-renewing, rolled on to 2027-01-31 (6-month terms): deadline 2027-01-01, near
    make.contract(
        store,
        "ENG-HALF",
        status="on-hold",
        end_date="2025-01-31",
        notice_days=30,
        auto_renew=True,
        renewal_term_months=6,
    )
    make.contract(store, "ENG-DONE", status="completed", end_date="2026-01-31")
    make.contract(store, "ENG-LATER", status="active", end_date="2027-12-31", notice_days=30)
    return store


def test_renewals_list_rolled_and_lapsed_contracts(firm: Store) -> None:
    found = insights.renewals(firm, TODAY, notice_warning_days=30)
    assert [(r.code, r.term.end, r.notice_deadline, r.term.lapsed) for r in found] == [
        ("ENG-LAPSED", date(2026, 11, 2), date(2026, 10, 3), True),
        ("ENG-HALF", date(2027, 1, 31), date(2027, 1, 1), False),
    ]
    assert [r.end_date for r in found] == [date(2026, 11, 2), date(2025, 1, 31)]  # as stored
    assert found[0].outlook == "ended 2026-11-02, still active: renew, complete or terminate"
    assert not found[0].inside_notice(TODAY)  # lapsed is told apart from inside notice
    assert insights.NoticeFigures.of(found, TODAY) == insights.NoticeFigures(1, 0, 1)

    wider = insights.renewals(firm, TODAY, notice_warning_days=181)  # to 2027-06-02
    assert [r.code for r in wider] == ["ENG-LAPSED", "ENG-HALF", "ENG-ROLL"]
    assert wider[2].outlook == "renews to 2027-08-31 unless notice by 2027-06-02"
    assert [r.code for r in insights.renewals(firm, TODAY, notice_warning_days=180)] == [
        "ENG-LAPSED",
        "ENG-HALF",
    ]
    summary = insights.summary(firm, TODAY)
    assert (summary["contracts_in_notice"], summary["contracts_lapsed"]) == (1, 1)


def test_a_contract_s_facts_give_its_current_term(firm: Store) -> None:
    def facts(code: str) -> record_facts.ContractFacts:
        record = records.find(firm, "contract", {"code": code})
        assert record is not None
        found = record_facts.facts_of(firm, "contract", record, TODAY)
        assert isinstance(found, record_facts.ContractFacts)
        return found

    rolled = facts("ENG-ROLL")
    assert rolled.notice_deadline == date(2027, 6, 2)
    assert rolled.outlook == "renews to 2027-08-31 unless notice by 2027-06-02"
    lapsed = facts("ENG-LAPSED")
    assert lapsed.term is not None and lapsed.term.lapsed
    assert lapsed.outlook == "ended 2026-11-02, still active: renew, complete or terminate"
    stored = records.find(firm, "contract", {"code": "ENG-ROLL"})
    assert stored is not None and stored["end_date"] == date(2025, 8, 31)  # never rewritten
