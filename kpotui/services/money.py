"""Amounts in several currencies, and their total in the reporting currency.

No figure adds two currencies. Amounts stay per currency as they were given; beside them
a :class:`Total` converts each currency at its latest rate on or before the report's day
(one query over the rates' unique index) and adds the results in the reporting currency.
When any currency involved has no rate, there is no converted total: the currencies
without one are named instead.

The per-currency sums come from aggregate SQL in the callers; only those few sums are
multiplied here, as exact decimals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import Connection, func, literal, select

from kpotui import models as m
from kpotui.services import settings
from kpotui.store import Store
from kpotui.text import money_text

R = m.Rate.__table__  # type: ignore[attr-defined]
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Rate:
    currency: str
    rate: Decimal
    """Units of the reporting currency for one unit of ``currency``."""
    date: date
    """The day the rate is in force from."""


def _day(conn: Connection, day: date) -> Any:
    """As :func:`kpotui.services.insights.sql.sql_day` (not imported: the insights use
    this module)."""
    return literal(day.isoformat()) if conn.dialect.name == "sqlite" else literal(day)


def rates_on(conn: Connection, day: date, currencies: Iterable[str]) -> dict[str, Rate]:
    """Currency -> its latest rate on or before ``day``, for those of ``currencies`` that
    have one (one query: per currency, the rate at its greatest date up to ``day``)."""
    wanted = sorted(set(currencies))
    if not wanted:
        return {}
    latest = (
        select(R.c.currency, func.max(R.c.date).label("date"))
        .where(R.c.currency.in_(wanted), R.c.date <= _day(conn, day))
        .group_by(R.c.currency)
        .subquery()
    )
    query = select(R.c.currency, R.c.rate, R.c.date).join(
        latest, (R.c.currency == latest.c.currency) & (R.c.date == latest.c.date)
    )
    found = {}
    for currency, rate, on in conn.execute(query):
        on = on if isinstance(on, date) else date.fromisoformat(on)
        found[currency] = Rate(currency, Decimal(rate), on)
    return found


@dataclass(frozen=True)
class Converter:
    """The reporting currency and the rates in force on a day, read once per report."""

    reporting: str
    day: date
    rates: Mapping[str, Rate] = field(default_factory=dict)

    def rate_of(self, currency: str) -> Decimal | None:
        if currency == self.reporting:
            return Decimal(1)
        found = self.rates.get(currency)
        return None if found is None else found.rate

    def convert(self, currency: str, amount: Decimal) -> Decimal | None:
        """``amount`` of ``currency`` in the reporting currency (to the cent), or None."""
        rate = self.rate_of(currency)
        if rate is None:
            return None
        return (amount * rate).quantize(CENT, rounding=ROUND_HALF_EVEN)

    def total(self, amounts: Mapping[str, Decimal]) -> Total:
        """Amounts per currency, and their converted total when every one has a rate."""
        native = {c: amounts[c] for c in sorted(amounts)}
        missing = tuple(c for c in native if self.rate_of(c) is None)
        converted = None
        if not missing:
            converted = sum(
                (self.convert(c, a) or Decimal(0) for c, a in native.items()), Decimal("0.00")
            )
        used = tuple(self.rates[c] for c in native if c in self.rates)
        return Total(native, self.reporting, converted, missing, used)


def converter(conn: Connection, day: date, currencies: Iterable[str]) -> Converter:
    """A :class:`Converter` for ``currencies`` on ``day``, read inside ``conn``."""
    reporting = settings.get(conn, settings.CURRENCY)
    others = [c for c in set(currencies) if c != reporting]
    return Converter(reporting, day, rates_on(conn, day, others))


def converter_for(store: Store, day: date, currencies: Iterable[str]) -> Converter:
    """:func:`converter` in a read of its own."""
    with store.read() as conn:
        return converter(conn, day, currencies)


def per_currency(pairs: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """(currency, amount) pairs added up per currency, never across."""
    sums: dict[str, Decimal] = {}
    for currency, amount in pairs:
        sums[currency] = sums.get(currency, Decimal("0.00")) + amount
    return sums


@dataclass(frozen=True)
class Total:
    """Amounts per currency, and (when every currency has a rate) their sum converted."""

    native: Mapping[str, Decimal]
    reporting: str
    converted: Decimal | None
    """In the reporting currency; None when some currency has no rate (or no amounts)."""
    missing: tuple[str, ...] = ()
    """Currencies of ``native`` without a rate on the day."""
    rates: tuple[Rate, ...] = ()
    """The rates used, one per currency other than the reporting one."""

    @property
    def rates_text(self) -> str:
        """``rates of 2026-11-01``, or each currency's date when they differ."""
        days = {r.date for r in self.rates}
        if len(days) == 1:
            return f"rates of {days.pop().isoformat()}"
        return "rates of " + ", ".join(f"{r.currency} {r.date.isoformat()}" for r in self.rates)

    @property
    def converted_text(self) -> str:
        """``≈ EUR 140,000.00 (rates of 2026-11-01)``, or ``no rate for GBP``; "" when there
        is one currency only (nothing to convert)."""
        if self.missing:
            return "no rate for " + ", ".join(self.missing)
        if self.converted is None or not self.rates:
            return ""
        return f"≈ {money_text(self.reporting, self.converted)} ({self.rates_text})"

    def text(self) -> str:
        """Every native amount, then the converted total or what it lacks."""
        native = "; ".join(money_text(c, a) for c, a in self.native.items()) or "none"
        extra = self.converted_text
        return f"{native} {extra}" if extra else native

    def as_json(self) -> dict[str, Any]:
        """Numbers and names as separate fields."""
        return {
            "amounts": [{"currency": c, "amount": float(a)} for c, a in self.native.items()],
            "converted": None
            if self.converted is None
            else {"currency": self.reporting, "amount": float(self.converted)},
            "rates": [
                {"currency": r.currency, "rate": float(r.rate), "date": r.date.isoformat()}
                for r in self.rates
            ],
            "missing_rates": list(self.missing),
        }
