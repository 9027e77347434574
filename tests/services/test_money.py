"""No figure adds two currencies: totals per currency, converted beside them at dated rates."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest

from kpotui.reports import catalogue
from kpotui.reports.render import render_json, render_markdown, render_text
from kpotui.services import insights, money, writes
from kpotui.store import Store
from tests.services import factories as make

DAY = date(2026, 12, 3)


def two_providers(store: Store) -> None:
    """The example: USD 100,000 and EUR 50,000 with two providers, USD = 0.90 from 11-01."""
    make.provider(store, "Yankee Data", country="United States")
    make.provider(store, "Euro Analysts", country="France")
    make.contract(store, "US-1", "Yankee Data", status="active", value="100000", currency="USD")
    make.contract(store, "EU-1", "Euro Analysts", status="active", value="50000", currency="EUR")
    writes.create(store, "rate", {"currency": "USD", "date": "2026-11-01", "rate": "0.90"})


def test_the_example_converts_to_140000_and_a_share_of_64_3(store: Store) -> None:
    two_providers(store)
    spread = insights.concentration(store, DAY)
    assert spread.converted and spread.spend.converted == Decimal("140000.00")
    assert spread.spend.native == {"EUR": Decimal("50000.00"), "USD": Decimal("100000.00")}
    assert spread.spend.converted_text == "≈ EUR 140,000.00 (rates of 2026-11-01)"
    first = spread.by_provider[0]
    assert (first.name, first.currency, f"{first.share:.1%}") == ("Yankee Data", "EUR", "64.3%")
    costs = render_text(catalogue.build(store, "costs", DAY))
    assert "≈ EUR 140,000.00 (rates of 2026-11-01)" in costs
    assert re.search(r"Yankee Data\s+EUR\s+90,000.00\s+64.3%", costs)
    summary = catalogue.build(store, "summary", DAY)
    assert summary.data["largest_provider_share"] == [
        {"provider": "Yankee Data", "share": 0.6429, "currency": "EUR"}
    ]
    assert summary.data["spend"]["converted"] == {"currency": "EUR", "amount": 140000.0}
    assert "Yankee Data 64.3% of EUR" in render_text(summary)


def test_the_latest_rate_on_or_before_the_day_applies(store: Store) -> None:
    two_providers(store)
    writes.create(store, "rate", {"currency": "USD", "date": "2026-12-01", "rate": "1.1"})
    writes.create(store, "rate", {"currency": "USD", "date": "2027-01-01", "rate": "5"})
    assert insights.concentration(store, DAY).spend.converted == Decimal("160000.00")
    assert insights.concentration(store, date(2026, 11, 15)).spend.converted == Decimal("140000.00")
    before = insights.concentration(store, date(2026, 10, 31))
    assert before.spend.converted is None and before.spend.missing == ("USD",)


def test_without_a_rate_there_is_no_converted_total_and_it_says_which(store: Store) -> None:
    two_providers(store)
    make.provider(store, "London Ltd", country="United Kingdom")
    make.contract(store, "GB-1", "London Ltd", status="active", value="10000", currency="GBP")
    spread = insights.concentration(store, DAY)
    assert spread.spend.converted is None and spread.spend.missing == ("GBP",)
    assert spread.spend.text().endswith("no rate for GBP")
    assert {(s.name, s.currency, s.share) for s in spread.by_provider} == {
        ("Euro Analysts", "EUR", 1.0),
        ("London Ltd", "GBP", 1.0),
        ("Yankee Data", "USD", 1.0),
    }


def test_spend_counts_live_contracts_only(store: Store) -> None:
    two_providers(store)
    make.contract(store, "EU-2", "Euro Analysts", status="completed", value="1000", currency="EUR")
    make.contract(store, "EU-3", "Euro Analysts", status="draft", value="2000", currency="EUR")
    make.contract(store, "EU-4", "Euro Analysts", status="on-hold", value="4000", currency="EUR")
    assert insights.concentration(store, DAY).spend.native["EUR"] == Decimal("54000.00")


def test_a_converter_multiplies_exactly(store: Store) -> None:
    convert = money.Converter("EUR", DAY, {"JPY": money.Rate("JPY", Decimal("0.0061"), DAY)})
    assert convert.convert("JPY", Decimal("123456789.01")) == Decimal("753086.41")
    assert convert.convert("EUR", Decimal("5.00")) == Decimal("5.00")
    assert convert.convert("GBP", Decimal("5.00")) is None


# -- no report adds two currencies ------------------------------------------------------------

AMOUNTS = {"USD": Decimal("100000"), "EUR": Decimal("50000"), "GBP": Decimal("20000")}


def three_currencies(store: Store, *, gbp_rate: bool) -> None:
    for code, value in AMOUNTS.items():
        make.provider(store, f"Provider {code}", country=f"Land {code}")
        make.contract(
            store, f"C-{code}", f"Provider {code}", status="active", value=value, currency=code
        )
        make.task(
            store,
            f"Work {code}",
            contract=f"C-{code}",
            currency=code,
            outsourced_monthly_cost=value / 100,
            in_house_monthly_cost=value / 50,
        )
    writes.create(store, "rate", {"currency": "USD", "date": "2026-11-01", "rate": "0.9"})
    if gbp_rate:
        writes.create(store, "rate", {"currency": "GBP", "date": "2026-11-01", "rate": "1.2"})


def cross_currency_sums() -> set[str]:
    """Every sum of native amounts of two or three different currencies, as it would be
    printed (with and without cents): what no report may show."""
    out = set()
    for scale in (Decimal(1), Decimal("0.01"), Decimal("0.02")):
        values = [a * scale for a in AMOUNTS.values()]
        for total in (
            values[0] + values[1],
            values[0] + values[2],
            values[1] + values[2],
            sum(values),
        ):
            out |= {f"{total:,.2f}", f"{total:,.0f}", f"{total:.2f}", f"{float(total)}"}
    return out


@pytest.mark.parametrize("gbp_rate", [True, False], ids=["gbp-rate", "no-gbp-rate"])
def test_no_report_adds_two_currencies(store: Store, gbp_rate: bool) -> None:
    three_currencies(store, gbp_rate=gbp_rate)
    forbidden = cross_currency_sums()
    for name in catalogue.REPORTS:
        scope = {"provider": "Provider GBP"} if name == "impact" else {}
        report = catalogue.build(store, name, DAY, **scope)
        for text in (render_text(report), render_markdown(report), render_json(report)):
            numbers = set(re.findall(r"\d[\d,]*(?:\.\d+)?", text))
            assert not numbers & forbidden, (name, numbers & forbidden)
            for line in text.splitlines():
                if "≈" in line:  # a converted total names the reporting currency alone
                    assert re.search(r"≈ EUR [\d,]+\.\d\d \(rates of", line), line
        data = json.loads(render_json(report))
        for total in _totals(data):
            currencies = {a["currency"] for a in total["amounts"]}
            assert len(currencies) == len(total["amounts"])  # one amount per currency
            if gbp_rate:
                assert total["converted"]["currency"] == "EUR"
            elif "GBP" in currencies:
                assert total["converted"] is None and total["missing_rates"] == ["GBP"]


def _totals(data: object) -> list[dict]:
    """Every money total in a JSON report."""
    if isinstance(data, dict):
        found = [data] if {"amounts", "converted", "missing_rates"} <= data.keys() else []
        return found + [t for value in data.values() for t in _totals(value)]
    if isinstance(data, list):
        return [t for value in data for t in _totals(value)]
    return []
