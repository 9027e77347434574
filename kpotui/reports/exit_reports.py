"""``kpotui report impact``, ``exit`` and ``knowledge``: what breaks if a provider goes,
how ready each contract is to leave, and who holds the knowledge.

Each takes the option that scopes it (a provider or a country, a contract, by activity or
by person); :mod:`kpotui.reports.catalogue` registers them.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from kpotui.reports.render import Report, Section
from kpotui.services import exit as exits
from kpotui.services import impact as impacts
from kpotui.services import knowledge
from kpotui.services.errors import ServiceError
from kpotui.services.records import json_safe
from kpotui.store import Store

LISTED = 200
"""Rows listed per table; counts always cover everything."""


def _text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(json_safe(value))


def _amount(currency: str, amount: Decimal | None) -> str:
    return "-" if amount is None else f"{currency} {amount:,.2f}"


def _money(minor: int | None, currency: str) -> str:
    return "-" if minor is None else _amount(currency, Decimal(minor) / 100)


def _readiness_json(r: exits.Readiness) -> dict[str, Any]:
    return {
        "contract": r.code,
        "title": r.title,
        "provider": r.provider,
        "status": r.status,
        "score": r.score,
        "covers_core": r.core,
        "earliest_exit": json_safe(r.earliest_exit),
        "notice_days": r.notice_days,
        "exit_assets": r.assets,
        "exit_alternative": r.alternative,
        "exit_transition_weeks": r.transition_weeks,
        "exit_plan_reviewed": json_safe(r.plan_reviewed),
        "deductions": [
            {"rule": d.rule, "points": d.points, "reason": d.reason} for d in r.deductions
        ],
    }


def _impact_title(found: impacts.Impact, today: date) -> str:
    names = "" if found.scope.startswith("provider") else f" ({', '.join(found.providers)})"
    return f"If {found.scope}{names} goes: impact as of {today}"


def impact_report(
    store: Store, today: date, *, provider: str | None = None, country: str | None = None
) -> Report:
    if (provider is None) == (country is None):
        raise ServiceError("report impact: give --provider NAME or --country NAME")
    found = impacts.impact(store, provider=provider, country=country, today=today)
    codes = {c.id: c.code for c in found.contracts} | found.codes
    activity_rows = [
        [
            a.name,
            codes.get(a.contract_id or 0, "-"),
            a.classification,
            _text(a.knowledge_risk),
            _text(a.owner),
            _text(a.hours_per_month),
            _money(a.in_house_monthly_cost_minor, a.currency),
            _money(a.outsourced_monthly_cost_minor, a.currency),
            a.notes_state + ("" if a.documented else ", no runbook"),
        ]
        for a in found.activities
    ]
    data = {
        "today": today.isoformat(),
        "scope": found.scope,
        "providers": found.providers,
        "value": found.value.as_json(),
        "take_back_monthly": found.take_back.as_json(),
        "paid_now_monthly": found.paid_now.as_json(),
        "open_deliverables": found.open_deliverables,
        "contracts": [
            {
                "code": c.code,
                "title": c.title,
                "provider": c.provider,
                "status": c.status,
                "term_end": json_safe(c.term_end),
                "earliest_exit": json_safe(c.earliest_exit),
                "currency": c.currency,
                "value": None if c.value is None else float(c.value),
                "data_sensitivity": c.data_sensitivity,
                "compliance": c.compliance,
                "open_deliverables": c.open_deliverables,
            }
            for c in found.contracts
        ],
        "activities": [
            {
                "name": a.name,
                "contract": codes.get(a.contract_id or 0),
                "classification": a.classification,
                "knowledge_risk": a.knowledge_risk,
                "owner": a.owner,
                "hours_per_month": a.hours_per_month,
                "currency": a.currency,
                "in_house_monthly_cost": _number(a.in_house_monthly_cost_minor),
                "outsourced_monthly_cost": _number(a.outsourced_monthly_cost_minor),
                "notes": a.notes_state,
                "runbook_or_handover": a.documented,
            }
            for a in found.activities
        ],
        "without_runbook_or_handover": [a.name for a in found.undocumented],
        "irreversible_decisions": [
            {"date": d.date.isoformat(), "contract": codes.get(d.contract_id), "summary": d.summary}
            for d in found.decisions
        ],
    }
    return Report(
        _impact_title(found, today),
        data,
        [
            Section(
                "Totals",
                ["figure", "value"],
                [
                    ["live contracts", str(len(found.contracts))],
                    ["their value", found.value.text()],
                    ["taking the work back / month (in-house)", found.take_back.text()],
                    ["paid now / month (outsourced)", found.paid_now.text()],
                    ["open deliverables", str(found.open_deliverables)],
                    ["activities covered", str(len(found.activities))],
                    ["with no runbook or hand-over note", str(len(found.undocumented))],
                ],
            ),
            Section(
                "Live contracts",
                [
                    "contract",
                    "provider",
                    "term ends",
                    "earliest exit",
                    "value",
                    "data",
                    "compliance",
                    "open deliverables",
                ],
                [
                    [
                        f"{c.code} {c.title}",
                        c.provider,
                        _text(c.term_end),
                        _text(c.earliest_exit),
                        _amount(c.currency, c.value),
                        _text(c.data_sensitivity),
                        _text(c.compliance),
                        str(c.open_deliverables),
                    ]
                    for c in found.contracts
                ],
            ),
            Section(
                "Activities they cover",
                [
                    "activity",
                    "contract",
                    "class",
                    "knowledge risk",
                    "owner",
                    "hours / month",
                    "in-house / month",
                    "outsourced / month",
                    "notes",
                ],
                activity_rows[:LISTED],
            ),
            Section(
                "Irreversible decisions the provider took",
                ["date", "contract", "decision"],
                [
                    [d.date.isoformat(), codes.get(d.contract_id, "-"), d.summary]
                    for d in found.decisions[:LISTED]
                ],
            ),
        ],
    )


def _number(minor: int | None) -> float | None:
    return None if minor is None else minor / 100


def exit_report(store: Store, today: date, *, contract: str | None = None) -> Report:
    if contract is not None:
        return exit_plan(store, today, contract)
    count, found = exits.least_ready(store, today, limit=LISTED)
    data = {
        "today": today.isoformat(),
        "live_contracts": count,
        "contracts": [_readiness_json(r) for r in found],
    }
    rows = [
        [
            f"{r.code} {r.title}",
            r.provider,
            str(r.score),
            "yes" if r.core else "no",
            _text(r.earliest_exit),
            "; ".join(d.text for d in r.deductions) or "-",
        ]
        for r in found
    ]
    title = f"{count} live contracts, least exit-ready first (core work first)"
    columns = ["contract", "provider", "readiness", "core", "earliest exit", "deductions"]
    return Report(f"Exit readiness as of {today}", data, [Section(title, columns, rows)])


def _timeline(r: exits.Readiness, today: date) -> str:
    """The transition against the notice period, if notice were given today."""
    if r.earliest_exit is None:
        return "the contract is not in force"
    if r.transition_weeks is None:
        return f"earliest exit {r.earliest_exit}; no transition time estimated"
    done = today + timedelta(weeks=r.transition_weeks)
    gap = (r.earliest_exit - done).days
    when = f"{gap} days before" if gap >= 0 else f"{-gap} days after"
    return (
        f"notice today: out on {r.earliest_exit}; a {r.transition_weeks}-week transition "
        f"started today ends {done}, {when} it"
    )


def exit_plan(store: Store, today: date, code: str) -> Report:
    """One contract's exit plan: what comes back, who takes it, the timeline against the
    notice period, the notes to hand over, the gaps."""
    (r,) = exits.readiness(store, [exits.contract_id_of(store, code)], today)
    notes = exits.hand_over_notes(store, r.contract_id)
    data = {"today": today.isoformat(), **_readiness_json(r)}
    data["notes_to_hand_over"] = [
        {
            "title": n.title,
            "kind": n.kind,
            "activity": n.activity,
            "author": n.author,
            "review_by": json_safe(n.review_by),
        }
        for n in notes
    ]
    plan = [
        ["what comes back", _text(r.assets)],
        ["who takes it", _text(r.alternative)],
        ["transition", "-" if r.transition_weeks is None else f"{r.transition_weeks} weeks"],
        ["notice period", "-" if r.notice_days is None else f"{r.notice_days} days"],
        ["earliest exit", _text(r.earliest_exit)],
        ["timeline", _timeline(r, today)],
        ["plan last reviewed", _text(r.plan_reviewed)],
    ]
    return Report(
        f"Exit plan: {r.code} {r.title} ({r.provider}), as of {today}",
        data,
        [
            Section("The plan", ["", ""], plan),
            Section(
                "Activities to take back",
                ["activity", "class", "knowledge risk", "owner", "notes"],
                [
                    [
                        a.name,
                        a.classification,
                        _text(a.knowledge_risk),
                        _text(a.owner),
                        a.notes_state + ("" if a.documented else ", no runbook"),
                    ]
                    for a in r.activities
                ],
            ),
            Section(
                "Notes to hand over",
                ["note", "kind", "activity", "author", "review by"],
                [
                    [n.title, n.kind, _text(n.activity), _text(n.author), _text(n.review_by)]
                    for n in notes
                ],
            ),
            Section(
                f"Gaps: readiness {r.score} of 100",
                ["points", "rule", "gap"],
                [[f"-{d.points}", d.rule, d.reason] for d in r.deductions],
            ),
        ],
    )


def knowledge_report(store: Store, today: date, *, by: str = "activity") -> Report:
    if by == "person":
        people = knowledge.by_person(store, today)
        data = {
            "today": today.isoformat(),
            "people": len(people),
            "by_person": [
                {
                    "person": p.person,
                    "sole_holder_of": p.sole_holder_of,
                    "holds": p.holds,
                    "contracts_owned": p.contracts_owned,
                }
                for p in people[:LISTED]
            ],
        }
        rows = [
            [
                p.person,
                str(len(p.sole_holder_of)),
                _text(p.sole_holder_of[:5]) + (" …" if len(p.sole_holder_of) > 5 else ""),
                str(p.holds),
                _text(p.contracts_owned[:5]) + (" …" if len(p.contracts_owned) > 5 else ""),
            ]
            for p in people[:LISTED]
        ]
        columns = ["person", "only holder of", "activities", "holds", "live contracts owned"]
        title = f"{len(people)} people: what the firm would lose if each left"
        return Report(f"Knowledge by person as of {today}", data, [Section(title, columns, rows)])
    held = knowledge.by_activity(store, today)
    flagged = sum(h.flagged for h in held)
    data = {
        "today": today.isoformat(),
        "activities": len(held),
        "flagged": flagged,
        "by_activity": [
            {
                "activity": h.name,
                "classification": h.classification,
                "sourcing": h.sourcing,
                "knowledge_risk": h.knowledge_risk,
                "holders": h.holders,
                "flagged": h.flagged,
            }
            for h in held[:LISTED]
        ],
    }
    rows = [
        [
            h.name,
            h.sourcing,
            _text(h.knowledge_risk),
            str(len(h.holders)),
            _text(h.holders),
            "outsourced, high risk, under 2 holders" if h.flagged else "",
        ]
        for h in held[:LISTED]
    ]
    columns = ["activity", "sourcing", "knowledge risk", "holders", "who", "flag"]
    title = f"{len(held)} activities, {flagged} flagged; fewest holders first"
    return Report(f"Knowledge holders as of {today}", data, [Section(title, columns, rows)])
