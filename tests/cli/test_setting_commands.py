"""``kpotui setting``: firm settings from the command line, on either backend."""

from __future__ import annotations

import json

from click.testing import CliRunner, Result
from sqlalchemy import insert

from kpotui.cli import main
from kpotui.models import Setting, utcnow
from kpotui.services import audit
from kpotui.store import open_store


def run(db: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", db, "setting", *args])


def setting_events(db: str) -> int:
    store = open_store(db)
    try:
        return sum(e["kind"] == "setting" for e in audit.recent(store, limit=1000))
    finally:
        store.close()


def test_set_get_list_and_reset(db_url: str) -> None:
    assert run(db_url, "get", "currency").stdout == "EUR\n"
    assert run(db_url, "set", "currency", "usd").stdout == "currency = USD\n"
    assert run(db_url, "get", "currency").stdout == "USD\n"

    listed = json.loads(run(db_url, "list", "--format", "json").stdout)
    assert [(s["key"], s["value"], s["default"], s["set"]) for s in listed][:3] == [
        ("currency", "USD", "EUR", True),
        ("due_soon_days", 14, 14, False),
        ("notice_warning_days", 30, 30, False),
    ]
    assert ("sla_min_deliverables", 3, 3, False) in [
        (s["key"], s["value"], s["default"], s["set"]) for s in listed
    ]
    assert ("agenda_lead_times", "90,60,30,7", "90,60,30,7", False) in [
        (s["key"], s["value"], s["default"], s["set"]) for s in listed
    ]
    assert listed[0]["updated_by"] == audit.current_actor()

    text = run(db_url, "list").stdout.splitlines()
    assert text[0].split()[:2] == ["currency", "USD"]
    assert text[1].split()[:2] == ["default", "EUR;"] and "set by" in text[1]
    assert "(default)" in text[2] and "never set" in text[3]

    result = run(db_url, "reset", "currency")
    assert (result.exit_code, result.stdout) == (0, "currency = EUR (default)\n")
    got = json.loads(run(db_url, "get", "currency", "--format", "json").stdout)
    assert (got["value"], got["set"], got["version"]) == ("EUR", False, 2)
    assert setting_events(db_url) == 2


def test_a_bad_value_or_key_exits_1_with_one_line_and_changes_nothing(db_url: str) -> None:
    cases = [
        (("set", "currency", "XXXX"), "currency: 'XXXX' is not an active ISO 4217 currency code"),
        (("set", "currency", "ABC"), "currency: 'ABC' is not an active ISO 4217 currency code"),
        (("set", "due_soon_days", "400"), "due_soon_days: 400 is out of range"),
        (("set", "curency", "USD"), "unknown firm setting 'curency' (did you mean 'currency'?)"),
        (("get", "notice_days"), "(did you mean 'notice_warning_days'?)"),
        (("reset", "colour"), "unknown firm setting 'colour'"),
    ]
    for args, message in cases:
        result = run(db_url, *args)
        assert result.exit_code == 1, args
        assert result.stdout == ""
        assert len(result.stderr.splitlines()) == 1 and message in result.stderr
        assert "Traceback" not in result.output and "Error" not in result.stderr
    assert setting_events(db_url) == 0


def test_expect_version_refuses_a_stale_change(db_url: str) -> None:
    run(db_url, "set", "currency", "CHF")
    result = run(db_url, "set", "currency", "USD", "--expect-version", "0")
    assert result.exit_code == 1
    assert "changed by someone else (version 1, you read 0)" in result.stderr
    assert run(db_url, "get", "currency").stdout == "CHF\n"
    assert run(db_url, "set", "currency", "USD", "--expect-version", "1").exit_code == 0


def test_undo_reverts_a_setting_change(db_url: str) -> None:
    run(db_url, "set", "notice_warning_days", "45")
    undone = CliRunner().invoke(main, ["--db", db_url, "undo", "--yes"])
    assert "update of setting 'notice_warning_days'" in undone.stdout
    assert run(db_url, "get", "notice_warning_days").stdout == "30\n"


def test_a_stored_value_no_longer_valid_is_one_line_not_a_traceback(db_url: str) -> None:
    store = open_store(db_url)
    try:
        with store.write() as conn:
            conn.execute(
                insert(Setting.__table__).values(  # type: ignore[attr-defined]
                    key="due_soon_days", value=999, version=1, updated_at=utcnow(), updated_by="x"
                )
            )
    finally:
        store.close()
    result = run(db_url, "get", "due_soon_days")
    assert result.exit_code == 1
    assert result.stderr == (
        "kpotui: firm setting due_soon_days holds 999, which is no longer valid (999 is out "
        "of range: a number of days from 1 to 365); set it again or reset it to the default\n"
    )
    assert "NOT VALID: 999 is out of range" in run(db_url, "list").stdout
    assert run(db_url, "reset", "due_soon_days").exit_code == 0
    assert run(db_url, "get", "due_soon_days").stdout == "14\n"
