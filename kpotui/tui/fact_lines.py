"""How a record's overview words its facts (:mod:`kpotui.services.record_facts`), one
label and text per line above its fields."""

from __future__ import annotations

from datetime import date

from kpotui.services.flags import Flag
from kpotui.services.record_facts import (
    ContractFacts,
    DeliverableFacts,
    NoteFacts,
    ProviderFacts,
    RecordFacts,
)
from kpotui.tui import formatting as fmt

Lines = list[tuple[str, str]]


def _when(day: date, today: date) -> str:
    """``in 12 d``, ``today`` or ``40 d ago``, from today."""
    days = (day - today).days
    return f"in {days} d" if days > 0 else "today" if days == 0 else f"{-days} d ago"


def contract_lines(facts: ContractFacts, today: date) -> Lines:
    lines: Lines = []
    deadline = facts.notice_deadline
    term, outlook = facts.term, facts.outlook or ""
    if term is not None and term.lapsed:
        lines.append(("⚑ Lapsed", outlook))
    elif term is not None and term.rolled:
        lines.append(("Current term", outlook))
    if deadline is not None and not (term and term.lapsed):
        renew = "auto-renews unless notice is given" if facts.auto_renew else "then it ends"
        lines.append(
            ("Notice deadline", f"{fmt.day(deadline)} ({_when(deadline, today)}; {renew})")
        )
    saving = facts.saving
    if saving is not None:
        verb = "saves" if saving.amount >= 0 else "costs"
        amount = fmt.money(abs(saving.amount), saving.currency)
        lines.append(("Against in-house", f"{verb} {amount} ({saving.share:.0%})"))
    return lines


def provider_lines(facts: ProviderFacts, today: date) -> Lines:
    lines: Lines = []
    r = facts.reliability
    if r is not None:
        lines.append(("On time", f"{fmt.percent(r.on_time_rate)} of {r.delivered} delivered"))
        lines.append(("Quality", f"{fmt.quality(r.average_quality)} on average (1-5)"))
        right = fmt.percent(r.first_time_right_rate)
        lines.append(("First time right", f"{right} of {r.accepted} accepted"))
        rounds = f"{r.rework_rounds} round{'' if r.rework_rounds == 1 else 's'} of rework"
        lines.append(("Rework / overdue", f"{rounds}, {r.overdue} overdue"))
    if facts.spend:
        amounts = "; ".join(
            f"{fmt.money(c.contract_value, c.currency)} in {c.contracts} contracts"
            for c in facts.spend
        )
        lines.append(("Spend", amounts))
    expiry = facts.certification_expiry
    if expiry is not None:
        lines.append(("Certificates", f"expire {fmt.day(expiry)} ({_when(expiry, today)})"))
    if facts.security_review_date is not None:
        lines.append(("Security review", _when(facts.security_review_date, today)))
    return lines


def deliverable_lines(facts: DeliverableFacts, today: date) -> Lines:
    lines: Lines = [("Provider", facts.provider)] if facts.provider else []
    if facts.open:
        label = "⚑ Overdue" if Flag.OVERDUE in facts.flags else "Due"
        lines.append((label, fmt.lateness(facts.due_date, today)))
    return lines


def note_lines(facts: NoteFacts, today: date) -> Lines:
    if Flag.REVIEW_OVERDUE in facts.flags and facts.review_by is not None:
        since = f"{fmt.day(facts.review_by)} ({_when(facts.review_by, today)})"
        return [("⚑ Review", f"overdue since {since}")]
    return []


def fact_lines(facts: RecordFacts | None, today: date) -> Lines:
    """The overview's lines for ``facts`` (none for a kind without facts)."""
    match facts:
        case ContractFacts():
            return contract_lines(facts, today)
        case ProviderFacts():
            return provider_lines(facts, today)
        case DeliverableFacts():
            return deliverable_lines(facts, today)
        case NoteFacts():
            return note_lines(facts, today)
    return []
