"""What a record's fields imply, shown above them on its overview (worked out in a worker).

A contract's notice deadline and saving against in-house; a deliverable's provider and
lateness; a provider's reliability, spend and how old its certificates and security
review are; whether a note is past its review.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from kpotui.services import insights, records
from kpotui.services.clock import today
from kpotui.tui import formatting as fmt

if TYPE_CHECKING:
    from kpotui.store import Store

Record = Mapping[str, Any]
Facts = list[tuple[str, str]]


def _when(day: date) -> str:
    """``in 12 d``, ``today`` or ``40 d ago``, from today."""
    days = (day - today()).days
    return f"in {days} d" if days > 0 else "today" if days == 0 else f"{-days} d ago"


def contract_facts(store: Store, record: Record) -> Facts:
    facts: Facts = []
    end = record["end_date"]
    if end is not None:
        deadline = end - timedelta(days=record["notice_days"] or 0)
        renew = "auto-renews unless notice is given" if record["auto_renew"] else "then it ends"
        facts.append(("Notice deadline", f"{fmt.day(deadline)} ({_when(deadline)}; {renew})"))
    value, estimate = record["value"], record["in_house_estimate"]
    if value is not None and estimate:
        saving = estimate - value
        verb = "saves" if saving >= 0 else "costs"
        amount = fmt.money(abs(saving), record["currency"])
        facts.append(("Against in-house", f"{verb} {amount} ({abs(saving) / estimate:.0%})"))
    return facts


def provider_facts(store: Store, record: Record) -> Facts:
    name = record["name"]
    facts: Facts = []
    found = [r for r in insights.reliability(store) if r.provider == name]
    if found and found[0].deliverables:
        r = found[0]
        facts.append(("On time", f"{fmt.percent(r.on_time_rate)} of {r.delivered} delivered"))
        facts.append(("Quality", f"{fmt.quality(r.average_quality)} on average (1-5)"))
        facts.append(("Rework / overdue", f"{r.rework} in rework, {r.overdue} overdue"))
    costs, _ = insights.provider_costs(store)
    spend = [c for c in costs if c.provider == name]
    if spend:
        amounts = "; ".join(
            f"{fmt.money(c.contract_value, c.currency, cents=False)} in {c.contracts} contracts"
            for c in spend
        )
        facts.append(("Spend", amounts))
    for field, label in (("certification_expiry", "Certificates"), ("security_review_date", "")):
        day = record[field]
        if day is not None:
            text = f"expire {fmt.day(day)} ({_when(day)})" if label else f"{_when(day)}"
            facts.append((label or "Security review", text))
    return facts


def deliverable_facts(store: Store, record: Record) -> Facts:
    contract = records.find(store, "contract", {"code": record["contract"]})
    facts: Facts = [("Provider", contract["provider"])] if contract else []
    if record["status"] in insights.OPEN_DELIVERABLE:
        due = record["due_date"]
        late = (today() - due).days
        facts.append(("⚑ Overdue" if late > 0 else "Due", fmt.lateness(due, today())))
    return facts


def note_facts(store: Store, record: Record) -> Facts:
    review_by = record["review_by"]
    if review_by is not None and review_by < today():
        return [("⚑ Review", f"overdue since {fmt.day(review_by)} ({_when(review_by)})")]
    return []


FACTS: dict[str, Callable[[Store, Record], Facts]] = {
    "contract": contract_facts,
    "deliverable": deliverable_facts,
    "provider": provider_facts,
    "note": note_facts,
}
