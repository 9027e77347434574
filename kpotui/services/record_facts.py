"""What one record's fields imply, for its overview: worked out for that record alone.

A contract's notice deadline and saving against in-house; a provider's reliability and
spend (aggregated in SQL for that provider only) and its certificates; a deliverable's
provider and whether it is overdue; whether a note is past its review. The front ends
word these; the rules are :mod:`kpotui.services.flags`'.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kpotui.services import records, terms
from kpotui.services.clock import today as clock_today
from kpotui.services.flags import Flag, row_flags
from kpotui.services.horizons import firm_horizons
from kpotui.services.insights import ProviderCost, Reliability, contract_spend, reliability
from kpotui.services.records import Record
from kpotui.services.statuses import OPEN_DELIVERABLE
from kpotui.store import Store


@dataclass(frozen=True)
class Saving:
    """The in-house estimate minus the contract's value (negative: outsourcing costs more)."""

    amount: Decimal
    share: float
    """Of the in-house estimate, unsigned."""
    currency: str


@dataclass(frozen=True)
class ContractFacts:
    notice_deadline: date | None
    """On the current term; None for a contract without an end date."""
    auto_renew: bool
    term: terms.Term | None
    """The current term (:mod:`kpotui.services.terms`); None without an end date."""
    outlook: str | None
    """What the current term means, in one line (:func:`kpotui.services.terms.outlook`)."""
    saving: Saving | None
    """None unless both the value and an in-house estimate are known."""
    flags: frozenset[Flag]


@dataclass(frozen=True)
class ProviderFacts:
    reliability: Reliability | None
    """None until the provider has deliverables."""
    spend: list[ProviderCost]
    """One entry per currency, largest first."""
    certification_expiry: date | None
    security_review_date: date | None
    flags: frozenset[Flag]


@dataclass(frozen=True)
class DeliverableFacts:
    provider: str | None
    due_date: date
    open: bool
    """Still owed by the provider."""
    flags: frozenset[Flag]


@dataclass(frozen=True)
class NoteFacts:
    review_by: date | None
    flags: frozenset[Flag]


RecordFacts = ContractFacts | ProviderFacts | DeliverableFacts | NoteFacts


def saving(value: Decimal | None, estimate: Decimal | None, currency: str) -> Saving | None:
    """What a contract saves against doing the work in-house."""
    if value is None or not estimate:
        return None
    amount = estimate - value
    return Saving(amount, float(abs(amount) / estimate), currency)


def contract_facts(store: Store, record: Record, today: date) -> ContractFacts:
    term = terms.term_of(record, today)
    status, auto_renew = record["status"], bool(record["auto_renew"])
    return ContractFacts(
        notice_deadline=term.notice_deadline if term else None,
        auto_renew=auto_renew,
        term=term,
        outlook=terms.outlook(term, status=status, auto_renew=auto_renew) if term else None,
        saving=saving(record["value"], record["in_house_estimate"], record["currency"]),
        flags=row_flags("contract", record, today, firm_horizons(store)),
    )


def provider_facts(store: Store, record: Record, today: date) -> ProviderFacts:
    found = reliability(store, today, provider_id=record["id"])
    return ProviderFacts(
        reliability=found[0] if found and found[0].deliverables else None,
        spend=contract_spend(store, provider_id=record["id"]),
        certification_expiry=record["certification_expiry"],
        security_review_date=record["security_review_date"],
        flags=row_flags("provider", record, today, firm_horizons(store)),
    )


def deliverable_facts(store: Store, record: Record, today: date) -> DeliverableFacts:
    contract = records.find(store, "contract", {"code": record["contract"]})
    return DeliverableFacts(
        provider=contract["provider"] if contract else None,
        due_date=record["due_date"],
        open=record["status"] in OPEN_DELIVERABLE,
        flags=row_flags("deliverable", record, today, firm_horizons(store)),
    )


def note_facts(store: Store, record: Record, today: date) -> NoteFacts:
    return NoteFacts(record["review_by"], row_flags("note", record, today, firm_horizons(store)))


FACTS: dict[str, Callable[[Store, Record, date], RecordFacts]] = {
    "contract": contract_facts,
    "provider": provider_facts,
    "deliverable": deliverable_facts,
    "note": note_facts,
}
READS: dict[str, frozenset[str]] = {
    "contract": frozenset({"contract"}),
    "provider": frozenset({"provider", "contract", "deliverable"}),
    "deliverable": frozenset({"deliverable", "contract", "provider"}),
    "note": frozenset({"note"}),
}
"""The kinds of record each kind's facts are worked out from."""


def reads(kind: str) -> frozenset[str]:
    """What a change must touch to change the facts of a record of ``kind``."""
    return READS.get(kind, frozenset())


def facts_of(
    store: Store, kind: str, record: Record, today: date | None = None
) -> RecordFacts | None:
    """The facts of one record of ``kind`` (None: that kind has none to add)."""
    found = FACTS.get(kind)
    return found(store, record, today or clock_today()) if found else None
