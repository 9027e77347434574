"""Activities carry a currency, and exchange rates are records with rules of their own."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kpotui.cli import main
from kpotui.services import records, settings, writes
from kpotui.services.errors import ValidationError
from kpotui.store import Store
from tests.services import factories as make


def rate(store: Store, currency: str = "USD", day: str = "2026-11-01", value: object = "0.9"):
    return writes.create(store, "rate", {"currency": currency, "date": day, "rate": value})


def test_an_activity_takes_the_reporting_currency_unless_given(store: Store) -> None:
    assert make.task(store, "A")["currency"] == "EUR"
    settings.set_value(store, "currency", "GBP")
    assert make.task(store, "B")["currency"] == "GBP"
    assert make.task(store, "C", currency="usd")["currency"] == "USD"


def test_a_rate_is_stored_exactly_as_canonical_decimal_text(store: Store) -> None:
    assert rate(store, value="0.90")["rate"] == "0.9"
    fine = rate(store, "JPY", value="0.006123456789")
    assert records.get(store, "rate", fine["id"])["rate"] == "0.006123456789"
    assert rate(store, "GBP", value=2)["rate"] == "2"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "must be a positive number"),
        ("-1.5", "must be a positive number"),
        ("1e9", "too large"),
        ("0.0000000000001", "at most 12 decimals"),
        ("abc", "not a number"),
    ],
)
def test_a_rate_must_be_a_positive_decimal(store: Store, value: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        rate(store, value=value)


def test_a_rate_of_the_reporting_currency_is_refused(store: Store) -> None:
    with pytest.raises(ValidationError, match="EUR is the reporting currency"):
        rate(store, "EUR")
    usd = rate(store)
    with pytest.raises(ValidationError, match="EUR is the reporting currency"):
        writes.update(store, "rate", usd["id"], {"currency": "eur"}, version=usd["version"])
    assert records.get(store, "rate", usd["id"])["currency"] == "USD"


def test_one_rate_per_currency_and_day(store: Store) -> None:
    rate(store)
    with pytest.raises(ValidationError, match="already exists"):
        rate(store, value="0.8")


def test_the_reporting_currency_cannot_change_while_rates_exist(store: Store) -> None:
    usd = rate(store)
    with pytest.raises(ValidationError, match="while exchange rates exist: every rate is in EUR"):
        settings.set_value(store, "currency", "USD")
    assert settings.get(store, "currency") == "EUR"
    writes.delete(store, "rate", usd["id"], version=usd["version"])
    settings.set_value(store, "currency", "USD")
    assert settings.get(store, "currency") == "USD"


def test_resetting_the_currency_to_another_is_refused_too(store: Store) -> None:
    settings.set_value(store, "currency", "USD")
    rate(store, "EUR", value="1.1")
    with pytest.raises(ValidationError, match="from USD to EUR"):
        settings.reset(store, "currency")
    settings.set_value(store, "currency", "usd")  # the same currency: nothing changes


def test_cli_refuses_the_change_in_one_line_and_lists_rates(db_url: str, store: Store) -> None:
    rate(store)
    runner = CliRunner()
    refused = runner.invoke(main, ["--db", db_url, "setting", "set", "currency", "USD"])
    assert refused.exit_code != 0
    assert "exchange rates exist" in refused.output
    assert "Traceback" not in refused.output and "Error" not in refused.output
    assert len(refused.output.strip().splitlines()) == 1
    listed = runner.invoke(main, ["--db", db_url, "list", "rates", "--format", "csv"])
    assert listed.output.splitlines() == ["currency,date,rate", "USD,2026-11-01,0.9"]
