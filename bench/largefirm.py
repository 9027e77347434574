"""A large synthetic firm, written as kpotui/1 CSV files (one per kind), deterministically.

At scale 1 it has 2,000 providers, 20,000 contracts, 200,000 deliverables, 50,000
activities, 20,000 notes (bodies of a few hundred words) and 50,000 decisions; ``scale``
multiplies every count (``--scale 0.005`` gives the 1,000-deliverable firm the benchmark
compares against). Every date is relative to ``reference`` (the "today" of the data, to be
pinned with ``KPOTUI_TODAY``), so the mix of overdue, due-soon and finished work is the
same whenever it is built. The same seed always writes the same bytes.

Rows are written as they are drawn: memory stays flat whatever the size.

    python bench/largefirm.py OUT_DIR [--scale 1] [--seed 1] [--reference 2025-06-30]
"""

from __future__ import annotations

import argparse
import csv
import random
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
REFERENCE = date(2025, 6, 30)
SIZES = {
    "providers": 2_000,
    "contracts": 20_000,
    "deliverables": 200_000,
    "tasks": 50_000,
    "notes": 20_000,
    "decisions": 50_000,
}
"""Records per kind at scale 1."""

HEADERS = {
    "providers": "name country delivery_model services certifications certification_expiry "
    "contact_name contact_email security_review_date notes",
    "contracts": "code title provider service_line status start_date end_date engagement_model "
    "billing_model value currency in_house_estimate notice_days auto_renew data_sensitivity "
    "nda_signed compliance owner description sla_on_time_pct sla_min_quality sla_max_rework "
    "sla_period",
    "deliverables": "contract title due_date status submitted_date accepted_date quality_score "
    "amount reviewer description",
    "tasks": "name area classification sourcing contract owner hours_per_month "
    "in_house_monthly_cost outsourced_monthly_cost currency knowledge_risk notes",
    "notes": "title body kind contract task provider tags author review_by",
    "decisions": "contract date summary made_by decided_by reversible impact status rationale",
}

COUNTRIES = [
    ("India", "offshore", 30),
    ("Philippines", "offshore", 12),
    ("Poland", "nearshore", 10),
    ("Mexico", "nearshore", 6),
    ("Romania", "nearshore", 5),
    ("South Africa", "offshore", 4),
    ("United Kingdom", "onshore", 8),
    ("United States", "onshore", 10),
    ("Ireland", "captive", 3),
    ("Vietnam", "offshore", 4),
]
SERVICE_LINES = [
    "market-research",
    "financial-analysis",
    "investment-research",
    "legal",
    "ip-research",
    "data-analytics",
    "clinical-data",
    "engineering-design",
    "content",
    "other",
]
CURRENCIES = ["USD"] * 12 + ["EUR"] * 4 + ["GBP"] * 3 + ["INR"]
CERTIFICATIONS = ["ISO 27001", "ISO 9001", "SOC 2 Type II", "SOC 2 Type I", "GDPR DPA signed"]
COMPLIANCE = ["GDPR", "SOX", "HIPAA", "ISO 27001", "PCI DSS"]
FIRST = "Aarav Ana Ben Chloe Daniel Elif Farah Grace Hugo Ines Jonas Kavita Liam Maya Noah "
FIRST += "Olga Priya Quentin Rosa Sanjay Tomas Uma Viktor Wen Yusuf Zoe"
LAST = "Okafor Shah Nowak Mehta Santos Garcia Brown Iyer Keller Novak Rossi Silva Tanaka "
LAST += "Dubois Kowalski Haddad Lindqvist Moreau Petrov Quinn Reyes Sato Turner Weber"
PEOPLE = [f"{f} {last}" for f in FIRST.split() for last in LAST.split()]
NAME_A = "Meridian Baltic Harbour Summit Crescent Northwind Lumen Vertex Atlas Cobalt Delta "
NAME_A += "Everest Falcon Granite Horizon Indigo Juniper Keystone Lotus Monsoon Nimbus Orion"
NAME_B = "Analytics Research Insights Data Knowledge Partners Intelligence Advisory Labs Works"
LEGAL = ["Pvt Ltd", "Ltd", "Inc.", "sp. z o.o.", "S.A. de C.V.", "GmbH", "LLC", "SRL", "BV"]
AREAS = "Equity research|Credit research|Valuation|Compliance|Legal review|Patents|Market sizing|"
AREAS += "Data operations|Reporting|Clinical data|Engineering|Content production"
ACTIVITIES = "model upkeep|earnings preview|screening|literature review|contract review|"
ACTIVITIES += "prior-art search|survey coding|data cleaning|report layout|CAD drafting|"
ACTIVITIES += "pharmacovigilance case entry|translation|index maintenance|benchmarking"
DELIVERABLE_TYPES = "Monthly pack|Weekly digest|Quarterly review|Model refresh|Due-diligence memo|"
DELIVERABLE_TYPES += "Landscape report|Data drop|Translation batch|Design package|Case batch"
DECISION_TOPICS = "changed the data source for|re-weighted the sample of|skipped the QA pass on|"
DECISION_TOPICS += "moved the deadline of|reassigned the analyst on|adopted a new template for|"
DECISION_TOPICS += "dropped two companies from|switched the FX convention in"
VOCABULARY = (
    "the provider analyst model revenue margin forecast segment quarterly review check "
    "source data pipeline template client deadline quality score rework handover owner "
    "runbook step before after each month file folder share price valuation discount rate "
    "peer group consensus filing report chart table footnote currency conversion adjust "
    "reconcile confirm escalate sign-off approve reject draft final version archive index "
    "patent claim prior art search keyword survey sample weight panel respondent clean "
    "merge duplicate outlier audit trail contract notice renewal scope change request "
    "invoice rate card hours estimate budget variance risk mitigation backup owner note"
)
WORDS = VOCABULARY.split()


@dataclass
class Firm:
    """What later kinds need to know about the records already drawn."""

    rng: random.Random
    reference: date
    providers: list[str] = field(default_factory=list)
    contracts: list[tuple[str, date, date, str]] = field(default_factory=list)
    """(code, start, end, status) per contract."""
    tasks: list[str] = field(default_factory=list)
    outsourced_tasks: list[str] = field(default_factory=list)

    def between(self, low: int, high: int) -> int:
        """A whole number from ``low`` to ``high`` (``randint``, at a fraction of its cost)."""
        return low + int(self.rng.random() * (high - low + 1))

    def choice(self, items: Sequence[T]) -> T:
        return items[int(self.rng.random() * len(items))]

    def day(self, low: int, high: int) -> date:
        """A date between ``low`` and ``high`` days from the reference date."""
        return self.reference + timedelta(days=self.between(low, high))

    def person(self) -> str:
        return self.choice(PEOPLE)

    def money(self, low: int, high: int) -> str:
        return f"{self.between(low, high) * 100}.00"

    def text(self, words: int) -> str:
        return " ".join(self.rng.choices(WORDS, k=words))

    def pick(self, weighted: Weighted) -> str:
        """One of the values of ``weighted``, each as likely as its weight says."""
        return weighted.values[bisect(weighted.bounds, self.rng.random() * weighted.bounds[-1])]


class Weighted:
    """Values with weights, ready for :meth:`Firm.pick`."""

    def __init__(self, *pairs: tuple[str, int]) -> None:
        self.values = [value for value, _ in pairs]
        self.bounds = list(accumulate(weight for _, weight in pairs))


LATE = Weighted(
    ("accepted", 45), ("submitted", 12), ("rework", 8), ("cancelled", 2),
    ("planned", 10), ("in-progress", 23),
)  # fmt: skip
"""Statuses of deliverables due in the 60 days before the reference date: a third is late."""
PAST_DUE = Weighted(
    ("accepted", 930), ("cancelled", 40), ("submitted", 10), ("rework", 5),
    ("planned", 5), ("in-progress", 10),
)  # fmt: skip
"""Statuses of older deliverables: almost all closed, one in fifty forgotten (overdue)."""
NOT_YET_DUE = Weighted(
    ("planned", 55), ("in-progress", 33), ("submitted", 6), ("rework", 3),
    ("cancelled", 2), ("accepted", 1),
)  # fmt: skip
LIVE = Weighted(("active", 85), ("on-hold", 10), ("draft", 5))
SOURCING = Weighted(("in-house", 40), ("outsourced", 45), ("hybrid", 15))
DECISION_STATUS = Weighted(("ratified", 70), ("proposed", 22), ("reversed", 8))
QUALITY = Weighted(("1", 2), ("2", 6), ("3", 22), ("4", 45), ("5", 25))
NOTE_KINDS = ["runbook", "lesson", "handover", "rationale", "reference"]


def _yes(value: bool) -> str:
    return "true" if value else "false"


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def providers(firm: Firm, count: int) -> Iterator[list[str]]:
    rng, names_a, names_b = firm.rng, NAME_A.split(), NAME_B.split()
    places = Weighted(*((f"{c}|{model}", weight) for c, model, weight in COUNTRIES))
    for i in range(count):
        a, rest = names_a[i % len(names_a)], i // len(names_a)
        b, rest = names_b[rest % len(names_b)], rest // len(names_b)
        legal = LEGAL[rest % len(LEGAL)]
        suffix = f" {rest // len(LEGAL) + 1}" if rest >= len(LEGAL) else ""
        name = f"{a} {b}{suffix} {legal}"
        country, model = firm.pick(places).split("|")
        contact = firm.person()
        firm.providers.append(name)
        yield [
            name,
            country,
            model,
            ";".join(sorted(rng.sample(SERVICE_LINES, firm.between(1, 3)))),
            ";".join(rng.sample(CERTIFICATIONS, firm.between(0, 3))),
            _iso(firm.day(-60, 900) if rng.random() < 0.8 else None),
            contact,
            f"{contact.lower().replace(' ', '.')}@provider{i}.example",
            _iso(firm.day(-800, -5) if rng.random() < 0.85 else None),
            firm.text(firm.between(10, 40)) if rng.random() < 0.5 else "",
        ]


def contracts(firm: Firm, count: int) -> Iterator[list[str]]:
    rng = firm.rng
    # A few providers get most of the work: spend is concentrated, as in real firms.
    weights = list(accumulate(1 / (k + 1) ** 0.9 for k in range(len(firm.providers))))
    for i in range(count):
        start = firm.day(-6 * 365, 120)
        end = start + timedelta(days=firm.between(180, 3 * 365))
        if start > firm.reference:
            status = "draft"
        elif end < firm.reference:
            status = "completed" if rng.random() < 0.8 else "terminated"
        else:
            status = firm.pick(LIVE)
        line = firm.choice(SERVICE_LINES)
        value = firm.between(100, 20_000) * 100
        retainer = rng.random() < 0.4
        code = f"ENG-{start.year}-{i:05d}"
        firm.contracts.append((code, start, end, status))
        yield [
            code,
            f"{line.replace('-', ' ').capitalize()} engagement {i}",
            rng.choices(firm.providers, cum_weights=weights)[0],
            line,
            status,
            start.isoformat(),
            end.isoformat() if rng.random() < 0.95 else "",
            "retainer" if retainer else "project",
            "retainer" if retainer else firm.choice(["fixed", "time-and-materials"]),
            f"{value}.00",
            firm.choice(CURRENCIES),
            f"{int(value * (0.8 + 1.2 * rng.random()))}.00" if rng.random() < 0.7 else "",
            str(firm.choice([30, 60, 90])) if rng.random() < 0.8 else "",
            _yes(rng.random() < 0.3),
            firm.choice(["public", "internal", "confidential", "restricted"]),
            _yes(rng.random() < 0.9),
            ";".join(rng.sample(COMPLIANCE, firm.between(0, 2))),
            firm.person() if rng.random() < 0.9 else "",
            firm.text(firm.between(5, 30)) if rng.random() < 0.3 else "",
            *_sla_targets(i),
        ]


def _sla_targets(i: int) -> list[str]:
    """Every third contract has SLA targets, a sixth of them monthly; taken from the
    contract's number, not the random stream, so every other value stays as it was."""
    if i % 3:
        return ["", "", "", ""]
    return [
        str(80 + 5 * (i % 4)),
        f"{3 + (i % 5) / 4:.2f}" if i % 2 else "",
        "0.5" if i % 9 == 0 else "",
        "month" if i % 6 == 0 else "quarter",
    ]


def deliverables(firm: Firm, count: int) -> Iterator[list[str]]:
    rng, ref, kinds = firm.rng, firm.reference, DELIVERABLE_TYPES.split("|")
    made = [0] * len(firm.contracts)
    for _ in range(count):
        which = int(rng.random() * len(firm.contracts))
        code, start, end, contract_status = firm.contracts[which]
        made[which] += 1
        due = start + timedelta(days=firm.between(14, max(14, (end - start).days)))
        submitted = accepted = None
        quality = ""
        if contract_status == "draft":
            status = "planned"
        else:
            age = (ref - due).days
            status = firm.pick(NOT_YET_DUE if age <= 0 else LATE if age <= 60 else PAST_DUE)
        if status in ("submitted", "accepted", "rework"):
            submitted = min(ref, due + timedelta(days=firm.between(-10, 12)))
        if status == "accepted" and submitted is not None:
            accepted = max(submitted, min(ref, submitted + timedelta(days=firm.between(0, 10))))
            quality = firm.pick(QUALITY)
        yield [
            code,
            f"{firm.choice(kinds)} {made[which]:03d}",
            due.isoformat(),
            status,
            _iso(submitted),
            _iso(accepted),
            quality,
            firm.money(5, 400) if rng.random() < 0.6 else "",
            firm.person() if rng.random() < 0.7 else "",
            firm.text(firm.between(5, 25)) if rng.random() < 0.2 else "",
        ]


def tasks(firm: Firm, count: int) -> Iterator[list[str]]:
    rng, areas, activities = firm.rng, AREAS.split("|"), ACTIVITIES.split("|")
    for i in range(count):
        area = firm.choice(areas)
        name = f"{area}: {firm.choice(activities)} {i:05d}"
        sourcing = firm.pick(SOURCING)
        outsourced = sourcing != "in-house"
        hours = firm.between(4, 400)
        firm.tasks.append(name)
        if outsourced:
            firm.outsourced_tasks.append(name)
        yield [
            name,
            area,
            "core" if rng.random() < 0.35 else "non-core",
            sourcing,
            firm.choice(firm.contracts)[0] if outsourced else "",
            firm.person() if rng.random() < (0.75 if outsourced else 0.95) else "",
            f"{hours}.5" if rng.random() < 0.2 else str(hours),
            f"{hours * firm.between(40, 120)}.00",
            f"{hours * firm.between(15, 60)}.00" if outsourced else "",
            "",  # currency: the reporting currency
            firm.choice(["low", "medium", "high", ""]),
            firm.text(firm.between(5, 20)) if rng.random() < 0.3 else "",
        ]


def _note_body(firm: Firm) -> str:
    """Markdown of 200-400 words: a heading, two paragraphs around a bullet list."""
    parts = [f"## {firm.text(4).capitalize()}", firm.text(firm.between(80, 160)) + "."]
    parts += [f"- {firm.text(firm.between(6, 14))}" for _ in range(firm.between(3, 6))]
    parts += [firm.text(firm.between(80, 180)) + "."]
    return "\n\n".join(parts)


def _note_task(firm: Firm) -> str:
    """Most notes keep knowledge of outsourced work; a quarter are about no activity."""
    roll = firm.rng.random()
    if roll < 0.65:
        return firm.choice(firm.outsourced_tasks)
    return firm.choice(firm.tasks) if roll < 0.75 else ""


def notes(firm: Firm, count: int) -> Iterator[list[str]]:
    rng = firm.rng
    for i in range(count):
        kind = firm.choice(NOTE_KINDS)
        roll = rng.random()
        review = firm.day(-400, -1) if roll < 0.3 else firm.day(0, 400) if roll < 0.8 else None
        yield [
            f"{kind.capitalize()} {i:05d}: {firm.text(3)}",
            _note_body(firm),
            kind,
            firm.choice(firm.contracts)[0] if rng.random() < 0.3 else "",
            _note_task(firm),
            firm.choice(firm.providers) if rng.random() < 0.15 else "",
            ";".join(sorted(set(rng.sample(WORDS, firm.between(0, 4))))),
            firm.person(),
            _iso(review),
        ]


def decisions(firm: Firm, count: int) -> Iterator[list[str]]:
    rng, ref, topics = firm.rng, firm.reference, DECISION_TOPICS.split("|")
    for i in range(count):
        code, start, end, _ = firm.choice(firm.contracts)
        day = start + timedelta(days=firm.between(0, max(0, (min(end, ref) - start).days)))
        by_provider = rng.random() < 0.7
        yield [
            code,
            day.isoformat(),
            f"{'Provider' if by_provider else 'We'} {firm.choice(topics)} set {i:05d}",
            "provider" if by_provider else "in-house",
            firm.person() if rng.random() < 0.8 else "",
            _yes(rng.random() < 0.85),
            firm.choice(["low", "medium", "high"]),
            firm.pick(DECISION_STATUS),
            firm.text(firm.between(10, 40)) if rng.random() < 0.4 else "",
        ]


WRITERS = {
    "providers": providers,
    "contracts": contracts,
    "deliverables": deliverables,
    "tasks": tasks,
    "notes": notes,
    "decisions": decisions,
}


def write_firm(
    directory: Path, *, scale: float = 1.0, seed: int = 1, reference: date = REFERENCE
) -> dict[str, int]:
    """Write ``<kind>.csv`` for every kind into ``directory``; returns rows per kind."""
    directory.mkdir(parents=True, exist_ok=True)
    firm = Firm(random.Random(seed), reference)
    written: dict[str, int] = {}
    for kind, rows in WRITERS.items():
        count = max(1, round(SIZES[kind] * scale))
        with (directory / f"{kind}.csv").open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(HEADERS[kind].split())
            writer.writerows(rows(firm, count))
        written[kind] = count
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reference", type=date.fromisoformat, default=REFERENCE)
    args = parser.parse_args()
    written = write_firm(args.directory, scale=args.scale, seed=args.seed, reference=args.reference)
    print(", ".join(f"{count:,} {kind}" for kind, count in written.items()))


if __name__ == "__main__":
    main()
