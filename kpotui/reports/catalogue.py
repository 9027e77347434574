"""``kpotui report``: the insight queries of :mod:`kpotui.services.insights` as reports.

Each report is built once as a :class:`~kpotui.reports.render.Report`: JSON-safe data
plus the tables a person reads; :mod:`kpotui.reports.render` turns it into text,
Markdown or JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from kpotui.reports.render import Report, Section
from kpotui.services import insights
from kpotui.services.records import json_safe
from kpotui.store import Store

REPORTS = ("summary", "overdue", "risk", "costs", "providers", "decisions")
LISTED = 200
"""Rows listed per table; counts always cover everything."""


def _json_safe(value: Any) -> Any:
    """Report data as JSON: values as records give them (:func:`json_safe`), nested."""
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return json_safe(value)


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _share(fraction: float | None) -> str:
    return "-" if fraction is None else f"{fraction:.0%}"


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_text(item)}" for key, item in value.items())
    return str(value)


def _summary_cell(name: str, value: Any) -> str:
    if name == "retention_covered":  # two numbers in JSON, one figure for a person
        return f"{value['covered']} of {value['outsourced']}"
    return _text(value)


def summary_report(store: Store, today: date) -> Report:
    data = _json_safe(insights.summary(store, today))
    rows = [
        [name.replace("_", " "), _summary_cell(name, value)]
        for name, value in data.items()
        if name not in ("records", "today")
    ]
    counts = ", ".join(f"{count} {kind}s" for kind, count in data.get("records", {}).items())
    rows.insert(0, ["records", counts])
    return Report(f"Summary as of {today}", data, [Section("", ["figure", "value"], rows)])


def overdue_report(store: Store, today: date) -> Report:
    due = insights.due_work(store, today, limit=LISTED)
    columns = ["due", "days", "deliverable", "contract", "provider", "status"]

    def rows(items: list[insights.DueItem]) -> list[list[str]]:
        return [
            [str(i.due_date), str(abs(i.days_late)), i.title, i.contract, i.provider, i.status]
            for i in items
        ]

    data = {
        "today": today.isoformat(),
        "overdue_count": due.overdue_count,
        "due_soon_count": due.due_soon_count,
        "due_soon_days": due.due_soon_days,
        "overdue": _json_safe([vars(i) for i in due.overdue]),
        "due_soon": _json_safe([vars(i) for i in due.due_soon]),
    }
    return Report(
        f"Deliverables overdue and due in {due.due_soon_days} days, as of {today}",
        data,
        [
            Section(f"Overdue: {due.overdue_count} (days late)", columns, rows(due.overdue)),
            Section(
                f"Due in {due.due_soon_days} days: {due.due_soon_count} (days left)",
                columns,
                rows(due.due_soon),
            ),
        ],
    )


def risk_report(store: Store, today: date) -> Report:
    kept = insights.retention(store, today)
    renewals = insights.renewals(store, today)
    notice = insights.NoticeFigures.of(renewals, today)
    by_provider, by_country = insights.concentration(store)
    data = {
        "today": today.isoformat(),
        "retention": {
            "outsourced": kept.outsourced,
            "with_owner": kept.with_owner,
            "with_fresh_note": kept.with_fresh_note,
            "covered": kept.covered,
        },
        "outsourced_core_at_risk": _json_safe(
            [vars(a) | {"reasons": a.reasons} for a in kept.at_risk]
        ),
        "contracts_in_notice": notice.notice,
        "contracts_lapsed": notice.lapsed,
        "renewals": _json_safe([_renewal(r, today) for r in renewals]),
        "concentration_by_provider": _json_safe([vars(s) for s in by_provider]),
        "concentration_by_country": _json_safe([vars(s) for s in by_country]),
    }
    covered = (
        f"{kept.covered} of {kept.outsourced} outsourced activities have an owner and a fresh note"
    )
    return Report(
        f"Risk as of {today}",
        data,
        [
            Section(
                f"Outsourced core activities at risk ({covered})",
                ["activity", "contract", "owner", "why"],
                [
                    [a.name, _text(a.contract), _text(a.owner), "; ".join(a.reasons)]
                    for a in kept.at_risk
                ],
            ),
            Section(
                f"Contracts ending or renewing soon: {notice.notice}, lapsed: {notice.lapsed}",
                ["term ends", "notice by", "inside notice", "contract", "provider", "what"],
                [
                    [
                        str(r.term.end),
                        "-" if r.term.lapsed else str(r.notice_deadline),
                        _text(r.inside_notice(today)),
                        f"{r.code} {r.title}",
                        r.provider,
                        r.outlook,
                    ]
                    for r in renewals
                ],
            ),
            _shares("Spend by provider", "provider", by_provider),
            _shares("Spend by country", "country", by_country),
        ],
    )


def _renewal(r: insights.Renewal, today: date) -> dict[str, Any]:
    """One renewal as report data: the stored end date and the current term apart."""
    stored = {name: value for name, value in vars(r).items() if name != "term"}
    return stored | {
        "term_end": r.term.end,
        "rolled": r.term.rolled,
        "lapsed": r.term.lapsed,
        "notice_deadline": r.notice_deadline,
        "inside_notice": r.inside_notice(today),
        "outlook": r.outlook,
    }


def _shares(title: str, label: str, shares: list[insights.Share]) -> Section:
    rows = [[s.name, s.currency, _money(s.amount), _share(s.share)] for s in shares]
    return Section(title, [label, "currency", "contract value", "share"], rows)


def costs_report(store: Store, today: date) -> Report:
    by_contract, by_activity = insights.provider_costs(store)
    matrix = insights.sourcing_matrix(store)
    data = {
        "by_contract": _json_safe([vars(c) | {"saving": c.saving} for c in by_contract]),
        "by_activity": _json_safe([vars(a) for a in by_activity]),
        "sourcing_matrix": _json_safe([vars(cell) for cell in matrix]),
    }
    return Report(
        "Costs: providers against in-house",
        data,
        [
            Section(
                "Contract value against the in-house estimate (signed contracts)",
                ["provider", "currency", "contracts", "value", "in-house estimate", "saving"],
                [
                    [
                        c.provider,
                        c.currency,
                        str(c.contracts),
                        _money(c.contract_value),
                        _money(c.in_house_estimate),
                        _money(c.saving),
                    ]
                    for c in by_contract
                ],
            ),
            Section(
                "Monthly cost of the activities each provider covers",
                ["provider", "activities", "outsourced / month", "in-house / month"],
                [
                    [
                        a.provider or "(in-house)",
                        str(a.activities),
                        _money(a.outsourced_monthly_cost),
                        _money(a.in_house_monthly_cost),
                    ]
                    for a in by_activity
                ],
            ),
            Section(
                "Activities by classification and sourcing",
                [
                    "classification",
                    "sourcing",
                    "activities",
                    "in-house / month",
                    "outsourced / month",
                ],
                [
                    [
                        c.classification,
                        c.sourcing,
                        str(c.count),
                        _money(c.in_house_monthly_cost),
                        _money(c.outsourced_monthly_cost),
                    ]
                    for c in matrix
                ],
            ),
        ],
    )


def providers_report(store: Store, today: date) -> Report:
    found = insights.reliability(store, today)
    data = {
        "today": today.isoformat(),
        "providers": _json_safe(
            [
                vars(r)
                | {"on_time_rate": r.on_time_rate, "first_time_right_rate": r.first_time_right_rate}
                for r in found
            ]
        ),
    }
    columns = [
        "provider",
        "deliverables",
        "delivered",
        "on time",
        "avg quality",
        "first time right",
        "rework rounds",
        "overdue",
    ]
    rows = [
        [
            r.provider,
            str(r.deliverables),
            str(r.delivered),
            _share(r.on_time_rate),
            _text(r.average_quality),
            _share(r.first_time_right_rate),
            str(r.rework_rounds),
            str(r.overdue),
        ]
        for r in found
    ]
    return Report(f"Provider reliability as of {today}", data, [Section("", columns, rows)])


def decisions_report(store: Store, today: date) -> Report:
    start, end = insights.quarter_of(today)
    log = insights.provider_decisions(store, start, end, limit=LISTED)
    data = _json_safe(
        {
            "start": start,
            "end": end,
            "total": log.total,
            "irreversible": log.irreversible,
            "items": [vars(i) for i in log.items],
        }
    )
    rows = [
        [
            str(i.date),
            i.contract,
            i.provider,
            i.summary,
            _text(i.reversible),
            _text(i.impact),
            i.status,
        ]
        for i in log.items
    ]
    title = (
        f"{log.total} decisions by providers from {start} to {end}, {log.irreversible} irreversible"
    )
    columns = ["date", "contract", "provider", "decision", "reversible", "impact", "status"]
    return Report(
        "Decisions taken by providers this quarter", data, [Section(title, columns, rows)]
    )


BUILDERS: dict[str, Callable[[Store, date], Report]] = {
    "summary": summary_report,
    "overdue": overdue_report,
    "risk": risk_report,
    "costs": costs_report,
    "providers": providers_report,
    "decisions": decisions_report,
}


def build(store: Store, name: str, today: date) -> Report:
    return BUILDERS[name](store, today)
