"""Every validation rule of the foundation issue, each with a failing and a passing case."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from kpotui.services import records, writes
from kpotui.services.errors import ValidationError
from kpotui.store import Store
from tests.services import factories as make


def refused(action: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        action()
    return caught.value.errors


def test_required_fields(store: Store) -> None:
    errors = refused(lambda: writes.create(store, "provider", {"country": "India"}))
    assert errors == {"name": "required"}
    assert make.provider(store, "Meridian")["name"] == "Meridian"
    errors = refused(lambda: writes.create(store, "contract", {"code": "ENG-9"}))
    assert set(errors) == {"title", "provider", "service_line", "start_date"}
    assert set(errors.values()) == {"required"}


def test_blank_text_counts_as_missing(store: Store) -> None:
    assert refused(lambda: writes.create(store, "provider", {"name": "   "})) == {
        "name": "required"
    }


def test_enum_values_forgive_case_and_separators(store: Store) -> None:
    make.provider(store)
    created = make.contract(store, status="On_Hold", service_line="IP Research")
    assert (created["status"], created["service_line"]) == ("on-hold", "ip-research")


def test_enum_values_must_be_known(store: Store) -> None:
    make.provider(store)
    errors = refused(lambda: make.contract(store, status="paused"))
    assert "not one of draft, active, on-hold, completed, terminated" in errors["status"]


def test_list_of_enums_is_checked_item_by_item(store: Store) -> None:
    errors = refused(lambda: make.provider(store, services=["legal", "astrology"]))
    assert "'astrology' is not one of" in errors["services"]
    assert make.provider(store, services="Legal; data_analytics")["services"] == [
        "legal",
        "data-analytics",
    ]


def test_end_date_not_before_start_date(store: Store) -> None:
    make.provider(store)
    errors = refused(lambda: make.contract(store, start_date="2025-03-01", end_date="2025-02-28"))
    assert errors == {"end_date": "before the start date (2025-03-01)"}
    same_day = make.contract(store, start_date="2025-03-01", end_date="2025-03-01")
    assert same_day["end_date"] == date(2025, 3, 1)


def test_end_date_rule_holds_on_update(store: Store) -> None:
    make.provider(store)
    created = make.contract(store, end_date="2025-12-31")
    errors = refused(
        lambda: writes.update(
            store, "contract", created["id"], {"start_date": "2026-01-01"}, version=1
        )
    )
    assert errors == {"end_date": "before the start date (2026-01-01)"}


def test_dates_must_be_iso(store: Store) -> None:
    make.provider(store)
    errors = refused(lambda: make.contract(store, start_date="01/03/2025"))
    assert "not a date in YYYY-MM-DD form" in errors["start_date"]
    assert refused(lambda: make.contract(store, start_date="2025-02-30"))["start_date"]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2025-02-30", "2025-02-30 is not a day in February 2025"),
        ("2023-02-29", "2023-02-29 is not a day in February 2023"),
        ("2025-04-00", "2025-04-00 is not a day in April 2025"),
        ("2025-13-01", "2025-13-01 has no month 13"),
        ("2025-00-10", "2025-00-10 has no month 0"),
        ("30/02/2025", "not a date in YYYY-MM-DD form: '30/02/2025'"),
    ],
)
def test_a_date_that_is_no_day_says_why(text: str, why: str) -> None:
    from kpotui.services.fields import kind_spec
    from kpotui.services.validation import clean_value

    with pytest.raises(ValueError, match=f"^{re.escape(why)}$"):
        clean_value(kind_spec("contract").by_name["start_date"], text)
    assert clean_value(kind_spec("contract").by_name["start_date"], "2024-02-29") == date(
        2024, 2, 29
    )


def test_messages_name_fields_as_users_see_them(store: Store) -> None:
    make.provider(store)
    with pytest.raises(ValidationError) as caught:
        make.contract(store, start_date="2025-03-01", end_date="2025-01-01", nda_signed="maybe")
    assert str(caught.value) == (
        "End date: before the start date (2025-03-01); "
        "NDA signed: expected true or false, got 'maybe'"
    )


@pytest.mark.parametrize("score", [0, 6, "4.5", "five"])
def test_quality_score_outside_one_to_five_is_refused(store: Store, score: object) -> None:
    make.provider(store)
    make.contract(store)
    assert "quality_score" in refused(lambda: make.deliverable(store, quality_score=score))


@pytest.mark.parametrize("score", [1, "5"])
def test_quality_score_one_to_five_is_accepted(store: Store, score: object) -> None:
    make.provider(store)
    make.contract(store)
    assert make.deliverable(store, quality_score=score)["quality_score"] == int(str(score))


@pytest.mark.parametrize(
    ("months", "error"),
    [(0, "must be at least 1, got 0"), (121, "must be at most 120, got 121"), ("1.5", "")],
)
def test_a_renewal_term_is_one_month_to_ten_years(store: Store, months: object, error: str) -> None:
    make.provider(store)
    refusal = refused(lambda: make.contract(store, auto_renew=True, renewal_term_months=months))
    assert error in refusal["renewal_term_months"]
    assert make.contract(store, renewal_term_months="6")["renewal_term_months"] == 6


def test_money_not_negative_and_two_decimals(store: Store) -> None:
    make.provider(store)
    assert refused(lambda: make.contract(store, value="-1"))["value"].startswith(
        "must not be negative"
    )
    assert refused(lambda: make.contract(store, value="10.005"))["value"].startswith(
        "at most two decimals"
    )
    assert "too large" in refused(lambda: make.contract(store, value="9" * 5000))["value"]
    below = "must be below 10,000,000,000,000"  # what docs/format.md says
    assert refused(lambda: make.contract(store, value="10000000000000"))["value"].endswith(below)
    assert make.contract(store, code="ENG-MAX", value="9999999999999.99")["value"] == Decimal(
        "9999999999999.99"
    )
    created = make.contract(store, value="1,250.5", in_house_estimate=0)
    assert created["value"] == Decimal("1250.50")
    assert created["in_house_estimate"] == Decimal("0.00")


def test_money_is_stored_as_integer_minor_units(store: Store) -> None:
    from sqlalchemy import text

    make.provider(store)
    make.contract(store, value="1234.56")
    with store.read() as conn:
        stored = conn.execute(text("SELECT value_minor FROM contract")).scalar_one()
    assert stored == 123456
    assert isinstance(stored, int)


def test_hours_not_negative(store: Store) -> None:
    assert (
        "must be at least 0"
        in refused(lambda: make.task(store, hours_per_month=-2))["hours_per_month"]
    )
    assert make.task(store, hours_per_month="12.5")["hours_per_month"] == 12.5


def test_email_needs_an_at_sign(store: Store) -> None:
    errors = refused(lambda: make.provider(store, contact_email="ops.meridian.in"))
    assert errors["contact_email"].startswith("not an e-mail address")
    assert make.provider(store, contact_email="ops@meridian.in")["contact_email"] == (
        "ops@meridian.in"
    )


def test_references_must_exist(store: Store) -> None:
    errors = refused(lambda: make.contract(store, provider="Nobody Ltd"))
    assert errors == {"provider": "no provider named 'Nobody Ltd'"}
    make.provider(store, "Nobody Ltd")
    assert make.contract(store, provider="Nobody Ltd")["provider"] == "Nobody Ltd"


def test_all_problems_of_a_record_are_reported_together(store: Store) -> None:
    errors = refused(
        lambda: make.contract(
            store,
            provider="Nobody",
            status="paused",
            start_date="2025-03-01",
            end_date="2025-01-01",
        )
    )
    assert set(errors) == {"provider", "status", "end_date"}


@pytest.mark.parametrize(
    ("kind", "first", "second"),
    [
        ("provider", {"name": "Acme"}, {"name": "Acme"}),
        ("task", {"name": "Filing"}, {"name": "Filing"}),
        ("note", {"title": "Runbook"}, {"title": "Runbook"}),
    ],
)
def test_natural_keys_are_unique(
    store: Store, kind: str, first: dict[str, str], second: dict[str, str]
) -> None:
    builders = {"provider": make.provider, "task": make.task, "note": make.note}
    builders[kind](store, *first.values())
    errors = refused(lambda: builders[kind](store, *second.values()))
    assert "already exists" in next(iter(errors.values()))


def test_composite_natural_keys_are_unique_within_their_contract(store: Store) -> None:
    make.provider(store)
    make.contract(store, "ENG-1")
    make.contract(store, "ENG-2")
    make.deliverable(store, "Pack", contract="ENG-1")
    assert make.deliverable(store, "Pack", contract="ENG-2")["contract"] == "ENG-2"
    errors = refused(lambda: make.deliverable(store, "Pack", contract="ENG-1"))
    assert errors == {"title": "a deliverable 'ENG-1 / Pack' already exists"}
    make.decision(store, "Switched data vendor")
    errors = refused(lambda: make.decision(store, "Switched data vendor"))
    assert "already exists" in errors["summary"]


def test_renaming_onto_an_existing_key_is_refused(store: Store) -> None:
    make.provider(store, "Acme")
    other = make.provider(store, "Bolt")
    errors = refused(
        lambda: writes.update(store, "provider", other["id"], {"name": "Acme"}, version=1)
    )
    assert "already exists" in errors["name"]


def test_unknown_fields_are_refused(store: Store) -> None:
    assert refused(lambda: make.provider(store, colour="blue")) == {
        "colour": "unknown field for a provider"
    }


def test_booleans_and_currency(store: Store) -> None:
    make.provider(store)
    assert (
        "expected true or false"
        in refused(lambda: make.contract(store, nda_signed="maybe"))["nda_signed"]
    )
    assert "ISO 4217" in refused(lambda: make.contract(store, currency="dollars"))["currency"]
    created = make.contract(store, nda_signed="YES", currency="usd")
    assert (created["nda_signed"], created["currency"]) == (True, "USD")


def test_a_contract_naming_no_currency_takes_the_firms(store: Store) -> None:
    from kpotui.services import settings

    make.provider(store)
    assert make.contract(store, code="ENG-1")["currency"] == "EUR"  # the default
    settings.set_value(store, "currency", "GBP")
    assert make.contract(store, code="ENG-2")["currency"] == "GBP"
    assert make.contract(store, code="ENG-3", currency="usd")["currency"] == "USD"


def test_text_with_nul_or_absurd_length_is_refused(store: Store) -> None:
    assert "NUL" in refused(lambda: make.provider(store, "Bad\x00name"))["name"]
    assert "too long" in refused(lambda: make.provider(store, "x" * 1_000_000))["name"]


def test_large_amounts_fit_on_every_backend(store: Store) -> None:
    make.provider(store)
    created = make.contract(store, value="9999999999999.99", in_house_estimate="21474836.48")
    stored = records.get(store, "contract", created["id"])
    assert stored["value"] == Decimal("9999999999999.99")
    assert stored["in_house_estimate"] == Decimal("21474836.48")


ONE_LINE_REFUSED = {
    "\x1b": ("a control character", "\\x1b"),
    "\x9b": ("a control character", "\\x9b"),
    "\x7f": ("a control character", "\\x7f"),
    "\t": ("a control character", "\\t"),
    "\n": ("a control character", "\\n"),
    "\u202e": ("a bidirectional override", "\\u202e"),
    "\u2066": ("a bidirectional override", "\\u2066"),
    "\u200b": ("an invisible character", "\\u200b"),
    "\ufeff": ("an invisible character", "\\ufeff"),
    "\u2028": ("a line separator", "\\u2028"),
}


@pytest.mark.parametrize("char", list(ONE_LINE_REFUSED))
def test_one_line_fields_refuse_control_bidi_and_invisible_characters(
    store: Store, char: str
) -> None:
    what, shown = ONE_LINE_REFUSED[char]
    value = f"  Evil{char}Corp "  # the position counts from the value as given
    for kind, fields in (("provider", {"country": value}), ("task", {"owner": value})):
        with pytest.raises(ValidationError) as caught:
            writes.create(store, kind, {"name": "A"} | fields)
        assert caught.value.errors[next(iter(fields))] == (
            f"contains {what} ({shown} at position 7); one-line fields take printable text only"
        )
    errors = refused(lambda: make.provider(store, "A", certifications=[f"ISO{char}1"]))
    assert "one-line fields take printable text only" in errors["certifications"]
    errors = refused(lambda: make.provider(store, "A", contact_email=f"a{char}@b.example"))
    assert "one-line fields take printable text only" in errors["contact_email"]


def test_one_line_fields_keep_joiners_and_marks(store: Store) -> None:
    for name in (
        "Team 👩\u200d💻",
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
        "שלום\u200f Ltd",
        "Acme",
    ):
        assert make.provider(store, name)["name"] == name
    assert make.provider(store, "Trailing\n")["name"] == "Trailing"


def test_multi_line_fields_keep_line_feeds_and_tabs_and_store_crs_as_lf(store: Store) -> None:
    created = make.provider(store, notes="a\r\nb\rc\n\td\u202e")
    assert created["notes"] == "a\nb\nc\n\td\u202e"
    errors = refused(lambda: make.provider(store, "B", notes="one\r\ntwo \x1b]0;x\x07"))
    assert errors["notes"] == (
        "contains a control character (\\x1b on line 2 at position 5); "
        "multi-line fields take printable text, line breaks and tabs only"
    )


def test_a_field_is_multiline_exactly_when_it_is_long_text() -> None:
    from kpotui.services.fields import KINDS, FieldType

    for spec in KINDS.values():
        for f in spec.fields:
            assert f.multiline == (f.type is FieldType.LONG_TEXT), (spec.name, f.name)
    assert [(s.name, f.name) for s in KINDS.values() for f in s.fields if f.markdown] == [
        ("note", "body")
    ]
