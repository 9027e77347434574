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

from kpotui.reports.exit_reports import exit_report, impact_report, knowledge_report
from kpotui.reports.render import Report, Section
from kpotui.services import insights, money, settings, sla
from kpotui.services.periods import Period
from kpotui.services.records import json_safe
from kpotui.store import Store
from kpotui.text import money_figure, money_text

REPORTS = (
    "summary",
    "overdue",
    "risk",
    "costs",
    "providers",
    "decisions",
    "impact",
    "exit",
    "knowledge",
    "sla",
)
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


def _number(amount: Decimal | None) -> float | None:
    return None if amount is None else float(amount)


def _share(fraction: float | None) -> str:
    return "-" if fraction is None else f"{fraction:.0%}"


def _spend_share(fraction: float) -> str:
    """A share of spend to a tenth of a percent (64.3%): a whole percent hides a lot."""
    return f"{fraction:.1%}"


def _amounts(amounts: dict[str, Decimal]) -> str:
    """Amounts in several currencies, side by side (never added)."""
    return "; ".join(money_text(c, a) for c, a in sorted(amounts.items())) or "-"


def _amounts_json(amounts: dict[str, Decimal]) -> list[dict[str, Any]]:
    return [{"currency": c, "amount": float(a)} for c, a in sorted(amounts.items())]


def _share_json(share: insights.Share) -> dict[str, Any]:
    return {
        "name": share.name,
        "currency": share.currency,
        "amount": float(share.amount),
        "share": round(share.share, 4),
    }


def _total_row(label: str, total: money.Total) -> list[str]:
    return [label, total.text()]


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
        if name not in ("records", "today", "spend", "largest_provider_share")
    ]
    spread = insights.concentration(store, today)
    rows.append(_total_row("spend (live contracts)", spread.spend))
    largest: dict[str, insights.Share] = {}
    for share in spread.by_provider:
        largest.setdefault(share.currency, share)
    rows.append(
        [
            "largest provider share",
            "; ".join(f"{s.name} {_spend_share(s.share)} of {s.currency}" for s in largest.values())
            or "-",
        ]
    )
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
    spread = insights.concentration(store, today)
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
        "spend": spread.spend.as_json(),
        "concentration_by_provider": [_share_json(s) for s in spread.by_provider],
        "concentration_by_country": [_share_json(s) for s in spread.by_country],
    }
    covered = (
        f"{kept.covered} of {kept.outsourced} outsourced activities have an owner and a fresh note"
    )
    return Report(
        f"Risk as of {today}",
        data,
        [
            Section(
                f"Outsourced core activities at risk, high knowledge risk first ({covered})",
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
            *_concentration(spread),
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


def _concentration(spread: insights.Concentration) -> list[Section]:
    """Spend by provider and by country, titled with what spend means and its total."""
    how = (
        f"shares of all spend in {spread.spend.reporting}"
        if spread.converted
        else "shares per currency"
    )
    note = f"{insights.SPEND_MEANS}; {how}: {spread.spend.text()}"
    return [
        _shares(f"Spend by provider ({note})", "provider", spread.by_provider),
        _shares("Spend by country", "country", spread.by_country),
    ]


def _shares(title: str, label: str, shares: list[insights.Share]) -> Section:
    rows = [[s.name, s.currency, money_figure(s.amount), _spend_share(s.share)] for s in shares]
    return Section(title, [label, "currency", "contract value", "share"], rows)


def costs_report(store: Store, today: date) -> Report:
    by_contract, by_activity = insights.provider_costs(store)
    matrix = insights.sourcing_matrix(store, today)
    spread = insights.concentration(store, today)
    convert = money.converter_for(store, today, {c.currency for c in by_contract})
    value = convert.total(money.per_currency((c.currency, c.contract_value) for c in by_contract))
    estimate = convert.total(
        money.per_currency(
            (c.currency, c.in_house_estimate)
            for c in by_contract
            if c.in_house_estimate is not None
        )
    )
    data = {
        "today": today.isoformat(),
        "contract_value": value.as_json(),
        "in_house_estimate": estimate.as_json(),
        "by_contract": [
            {
                "provider": c.provider,
                "currency": c.currency,
                "contracts": c.contracts,
                "value": float(c.contract_value),
                "in_house_estimate": _number(c.in_house_estimate),
                "saving": _number(c.saving),
            }
            for c in by_contract
        ],
        "spend": spread.spend.as_json(),
        "spend_by_provider": [_share_json(s) for s in spread.by_provider],
        "by_activity": [
            {
                "provider": a.provider,
                "currency": a.currency,
                "activities": a.activities,
                "outsourced_monthly_cost": float(a.outsourced_monthly_cost),
                "in_house_monthly_cost": float(a.in_house_monthly_cost),
            }
            for a in by_activity
        ],
        "outsourced_monthly_cost": matrix.outsourced_cost.as_json(),
        "outsourced_in_house_monthly_cost": matrix.outsourced_in_house_cost.as_json(),
        "sourcing_matrix": [
            {
                "classification": c.classification,
                "sourcing": c.sourcing,
                "count": c.count,
                "in_house_monthly_cost": _amounts_json(c.in_house_monthly_cost),
                "outsourced_monthly_cost": _amounts_json(c.outsourced_monthly_cost),
            }
            for c in matrix.cells
        ],
    }
    return Report(
        f"Costs: providers against in-house, as of {today}",
        data,
        [
            Section(
                "Totals",
                ["figure", "amounts"],
                [
                    _total_row("contract value (live contracts)", value),
                    _total_row("in-house estimate (contracts with one)", estimate),
                    _total_row("outsourced activities / month", matrix.outsourced_cost),
                    _total_row("the same in-house / month", matrix.outsourced_in_house_cost),
                ],
            ),
            Section(
                "Contract value against the in-house estimate (live contracts)",
                ["provider", "currency", "contracts", "value", "in-house estimate", "saving"],
                [
                    [
                        c.provider,
                        c.currency,
                        str(c.contracts),
                        money_figure(c.contract_value),
                        "-" if c.in_house_estimate is None else money_figure(c.in_house_estimate),
                        "-" if c.saving is None else money_figure(c.saving),
                    ]
                    for c in by_contract
                ],
            ),
            _concentration(spread)[0],
            Section(
                "Monthly cost of the activities each provider covers",
                ["provider", "currency", "activities", "outsourced / month", "in-house / month"],
                [
                    [
                        a.provider or "(in-house)",
                        a.currency,
                        str(a.activities),
                        money_figure(a.outsourced_monthly_cost),
                        money_figure(a.in_house_monthly_cost),
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
                        _amounts(c.in_house_monthly_cost),
                        _amounts(c.outsourced_monthly_cost),
                    ]
                    for c in matrix.cells
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


SLA_NAMES = {"on_time": "on time", "quality": "quality", "rework": "rework"}


def sla_figure(target: str, value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}%" if target == "on_time" else f"{value:.2f}"


def sla_cell(checks: dict[str, sla.Check], target: str, figure: float | None) -> str:
    """The figure against its target (``60% ≥90% !``, ``0.25 ≤0.50``): ``!`` a breach,
    ``~`` missed with too few deliverables due."""
    shown = sla_figure(target, figure)
    found = checks.get(target)
    if found is None:
        return shown
    sign = "≤" if target == "rework" else "≥"
    mark = " !" if found.breach else (" ~" if found.missed else "")
    return f"{shown} {sign}{sla_figure(target, found.wanted)}{mark}"


def _sla_json(item: sla.ContractSla) -> dict[str, Any]:
    shown = item.periods[0]
    f = shown.figures
    return {
        "contract": item.code,
        "title": item.title,
        "provider": item.provider,
        "owner": item.owner,
        "period": shown.period.label,
        "targets": vars(item.targets),
        "due": f.due,
        "delivered": f.delivered,
        "settled": f.settled,
        "on_time_pct": f.on_time_pct,
        "first_time_right_pct": f.first_time_right_pct,
        "average_quality": f.average_quality,
        "average_rework": f.average_rework,
        "checks": [vars(c) for c in shown.checks],
        "breaches": [c.target for c in shown.breaches],
    }


def sla_report(
    store: Store, today: date, period: Period | None = None, provider: str | None = None
) -> Report:
    """One row per contract with an SLA target: figures of ``period`` (default: each
    contract's current one) against its targets; ``data["breaches"]`` counts breaches."""
    found = sla.contracts_sla(store, today, period=period, provider=provider)
    least = settings.get(store, settings.SLA_MIN_DELIVERABLES)
    breaches = sum(len(item.periods[0].breaches) for item in found)
    data = _json_safe(
        {
            "today": today,
            "period": period.label if period else None,
            "sla_min_deliverables": least,
            "breaches": breaches,
            "contracts": [_sla_json(item) for item in found],
        }
    )
    columns = ["contract", "provider", "period", "due", "delivered", "on time"]
    columns += ["quality", "rework", "first time right", "breach"]
    rows = []
    for item in found:
        shown = item.periods[0]
        f, checks = shown.figures, {c.target: c for c in shown.checks}
        rows.append(
            [
                item.code,
                item.provider,
                shown.period.label,
                str(f.due),
                str(f.delivered),
                sla_cell(checks, "on_time", f.on_time_pct),
                sla_cell(checks, "quality", f.average_quality),
                sla_cell(checks, "rework", f.average_rework),
                sla_figure("on_time", f.first_time_right_pct),
                ", ".join(SLA_NAMES[c.target] for c in shown.breaches) or "-",
            ]
        )
    when = f"in {period.label}" if period else "this period"
    plural = "es" if breaches != 1 else ""
    title = f"Service levels {when}, as of {today}: {breaches} breach{plural}"
    legend = (
        f"! breach, ~ missed with fewer than {least} deliverables due; on time counts "
        "work delivered or past due"
    )
    return Report(title, data, [Section(legend, columns, rows)])


BUILDERS: dict[str, Callable[..., Report]] = {
    "summary": summary_report,
    "overdue": overdue_report,
    "risk": risk_report,
    "costs": costs_report,
    "providers": providers_report,
    "decisions": decisions_report,
    "impact": impact_report,
    "exit": exit_report,
    "knowledge": knowledge_report,
    "sla": sla_report,
}
"""impact, exit and knowledge take the option that scopes them (see
:mod:`kpotui.reports.exit_reports`); sla a period and a provider."""


def build(store: Store, name: str, today: date, **options: str) -> Report:
    return BUILDERS[name](store, today, **options)
