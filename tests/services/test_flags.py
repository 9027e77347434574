"""The row flags: each rule at its boundaries, with today fixed; and the insights, which
select by the same rules in SQL, agreeing with them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from kpotui.services import insights, settings
from kpotui.services.flags import Flag, row_flags
from kpotui.services.horizons import Horizons, firm_horizons
from kpotui.store import Store
from tests.services import factories as make

TODAY = date(2025, 6, 30)
NONE: frozenset[Flag] = frozenset()


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def deliverable(due: int, status: str = "planned") -> dict[str, Any]:
    return {"status": status, "due_date": day(due)}


def contract(
    end: int | None,
    notice_days: int | None = 30,
    status: str = "active",
    auto_renew: bool = False,
    renewal_term_months: int | None = None,
) -> dict[str, Any]:
    return {
        "status": status,
        "end_date": None if end is None else day(end),
        "notice_days": notice_days,
        "auto_renew": auto_renew,
        "renewal_term_months": renewal_term_months,
    }


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (deliverable(-1), {Flag.OVERDUE}),
        (deliverable(0), {Flag.DUE_SOON}),  # due today: not late yet
        (deliverable(14), {Flag.DUE_SOON}),  # exactly the horizon
        (deliverable(15), NONE),
        (deliverable(-1, "rework"), {Flag.OVERDUE}),
        (deliverable(-1, "submitted"), NONE),  # delivered: nothing owed
        (deliverable(3, "accepted"), NONE),
    ],
)
def test_deliverable_flags(record: dict[str, Any], expected: set[Flag]) -> None:
    assert row_flags("deliverable", record, TODAY) == expected


def test_the_due_soon_horizon_is_a_parameter() -> None:
    assert row_flags("deliverable", deliverable(8), TODAY, Horizons(due_soon_days=7)) == NONE
    assert row_flags("deliverable", deliverable(7), TODAY, Horizons(due_soon_days=7)) == {
        Flag.DUE_SOON
    }


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (contract(30), {Flag.INSIDE_NOTICE}),  # notice deadline today
        (contract(29), {Flag.INSIDE_NOTICE}),  # deadline passed, contract still runs
        (contract(0), {Flag.INSIDE_NOTICE}),  # ends today
        (contract(-1), {Flag.LAPSED}),  # ended yesterday, still active
        (contract(-400, status="on-hold"), {Flag.LAPSED}),
        (contract(-1, status="completed"), NONE),
        # auto-renewing: ended yesterday, rolled on to a year from then (deadline far off)
        (contract(-1, auto_renew=True), NONE),
        # ended 2025-01-31, rolled on 6 months to 2025-07-31: deadline 2025-07-01, tomorrow
        (contract(-150, auto_renew=True, renewal_term_months=6), {Flag.NOTICE_SOON}),
        (contract(-151, auto_renew=True, renewal_term_months=6), {Flag.INSIDE_NOTICE}),
        (contract(60), {Flag.NOTICE_SOON}),  # deadline in exactly 30 days
        (contract(61), NONE),
        (contract(30, notice_days=None), {Flag.NOTICE_SOON}),  # no notice: deadline = end
        (contract(20, status="on-hold"), {Flag.INSIDE_NOTICE}),
        (contract(20, status="draft"), NONE),
        (contract(20, status="completed"), NONE),
        (contract(None), NONE),
    ],
)
def test_contract_flags(record: dict[str, Any], expected: set[Flag]) -> None:
    assert row_flags("contract", record, TODAY) == expected


def test_the_notice_warning_horizon_is_a_parameter() -> None:
    assert row_flags("contract", contract(45), TODAY, Horizons(notice_warning_days=14)) == NONE
    assert row_flags("contract", contract(44), TODAY, Horizons(notice_warning_days=14)) == {
        Flag.NOTICE_SOON
    }


@pytest.mark.parametrize(
    ("expiry", "expected"),
    [
        (-1, {Flag.CERTIFICATE_EXPIRED}),
        (0, {Flag.CERTIFICATE_EXPIRING}),  # expires today: still valid today
        (30, {Flag.CERTIFICATE_EXPIRING}),  # in exactly 30 days
        (31, NONE),
        (None, NONE),
    ],
)
def test_certificate_flags(expiry: int | None, expected: set[Flag]) -> None:
    record = {"certification_expiry": None if expiry is None else day(expiry)}
    assert row_flags("provider", record, TODAY) == expected


def test_the_certificate_horizon_is_a_parameter() -> None:
    record = {"certification_expiry": day(10)}
    assert row_flags("provider", record, TODAY, Horizons(certificate_warning_days=9)) == NONE


@pytest.mark.parametrize(
    ("review_by", "expected"),
    [(-1, {Flag.REVIEW_OVERDUE}), (0, NONE), (None, NONE)],
)
def test_note_flags(review_by: int | None, expected: set[Flag]) -> None:
    record = {"review_by": None if review_by is None else day(review_by)}
    assert row_flags("note", record, TODAY) == expected


@pytest.mark.parametrize(
    ("classification", "sourcing", "owner", "expected"),
    [
        ("core", "outsourced", None, {Flag.CORE_WITHOUT_OWNER}),
        ("core", "hybrid", "", {Flag.CORE_WITHOUT_OWNER}),
        ("core", "outsourced", "Dana", NONE),
        ("core", "in-house", None, NONE),
        ("non-core", "outsourced", None, NONE),
    ],
)
def test_activity_flags(
    classification: str, sourcing: str, owner: str | None, expected: set[Flag]
) -> None:
    record = {"classification": classification, "sourcing": sourcing, "owner": owner}
    assert row_flags("task", record, TODAY) == expected


def test_an_irreversible_decision_is_flagged() -> None:
    assert row_flags("decision", {"reversible": False}, TODAY) == {Flag.IRREVERSIBLE}
    assert row_flags("decision", {"reversible": True}, TODAY) == NONE


def test_the_insights_select_what_the_flags_flag(store: Store) -> None:
    """due_work and renewals (SQL) and row_flags (Python) draw the same lines."""
    make.provider(store)
    contracts = [
        make.contract(
            store, f"ENG-{offset + 10}", status="active", end_date=day(offset), notice_days=30
        )
        for offset in (-1, 0, 1, 29, 30, 31, 59, 60, 61)
    ]
    deliverables = [
        make.deliverable(store, f"Due {offset}", "ENG-70", due_date=day(offset))
        for offset in (-1, 0, 1, 13, 14, 15)
    ]

    def flagged(kind: str, created: list[dict[str, Any]], *wanted: Flag, **days: int) -> set[int]:
        return {
            r["id"] for r in created if row_flags(kind, r, TODAY, Horizons(**days)) & set(wanted)
        }

    due = insights.due_work(store, TODAY)
    assert {i.id for i in due.overdue} == flagged("deliverable", deliverables, Flag.OVERDUE)
    assert {i.id for i in due.due_soon} == flagged("deliverable", deliverables, Flag.DUE_SOON)
    renewals = insights.renewals(store, TODAY)
    notice = flagged("contract", contracts, Flag.INSIDE_NOTICE, Flag.NOTICE_SOON, Flag.LAPSED)
    assert {r.id for r in renewals} == notice
    inside = {r.id for r in renewals if r.inside_notice(TODAY)}
    assert inside == flagged("contract", contracts, Flag.INSIDE_NOTICE)
    lapsed = {r.id for r in renewals if r.term.lapsed}
    assert lapsed == flagged("contract", contracts, Flag.LAPSED)
    # ending 0 to 30 days / 0 to 60 days / ended yesterday
    assert (len(inside), len(renewals) - len(lapsed), len(lapsed)) == (4, 7, 1)

    shorter = insights.due_work(store, TODAY, due_soon_days=13)
    assert {i.id for i in shorter.due_soon} == flagged(
        "deliverable", deliverables, Flag.DUE_SOON, due_soon_days=13
    )
    assert len(shorter.due_soon) == len(due.due_soon) - 1
    sooner = insights.renewals(store, TODAY, notice_warning_days=29)
    wanted = (Flag.INSIDE_NOTICE, Flag.NOTICE_SOON, Flag.LAPSED)
    assert {r.id for r in sooner} == flagged("contract", contracts, *wanted, notice_warning_days=29)
    assert len(sooner) == len(renewals) - 1

    settings.set_value(store, "due_soon_days", 13)  # the firm's horizons, when none is given
    settings.set_value(store, "notice_warning_days", 29)
    assert insights.due_work(store, TODAY).due_soon == shorter.due_soon
    assert insights.renewals(store, TODAY) == sooner
    assert firm_horizons(store) == Horizons(due_soon_days=13, notice_warning_days=29)
