"""``kpotui show/add/set/delete``: one record at a time, through the app's write path."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Protocol

import pytest
from click.testing import CliRunner, Result

from kpotui.services import audit
from kpotui.store import open_store
from tests.services import factories as make

DELIVERABLE = "ENG-1 / Q-report, overdue"


class AsUser(Protocol):
    def __call__(self, name: str) -> AbstractContextManager[None]: ...


def kpotui(db: str, *args: str) -> Result:
    from kpotui.cli import main

    return CliRunner().invoke(main, ["--db", db, *args])


def refused(result: Result) -> str:
    """The one-line message of a refused command (nothing on standard output)."""
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    message = result.stderr
    assert message.count("\n") == 1 and message.startswith("kpotui: "), message
    return message.removeprefix("kpotui: ").rstrip("\n")


def dump(db: str) -> tuple[str, int]:
    """Every record (the canonical export) and the number of audit events."""
    exported = kpotui(db, "export", "--format", "json")
    assert exported.exit_code == 0, exported.output
    store = open_store(db)
    try:
        events = len(audit.recent(store, limit=10_000))
    finally:
        store.close()
    return exported.stdout, events


@pytest.fixture
def firm(db_url: str, as_user: AsUser) -> Iterator[str]:
    """Ana's provider, contract, deliverable and a note about the contract."""
    store = open_store(db_url)
    try:
        with as_user("ana"):
            make.provider(store, "Meridian Analytics")
            make.contract(store, provider="Meridian Analytics", value="1000")
            make.deliverable(store, "Q-report, overdue", reviewer="Ravi")
            make.note(store, "Runbook", contract="ENG-1")
    finally:
        store.close()
    yield db_url


def test_show_gives_the_fields_version_references_and_history_newest_first(
    firm: str, as_user: AsUser
) -> None:
    with as_user("bea"):
        assert kpotui(firm, "set", "contract", "eng-1", "owner=Bea").exit_code == 0
    result = kpotui(firm, "show", "contract", "ENG-1")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "contract ENG-1  (version 2)"
    end = next(i for i, line in enumerate(lines) if line.startswith("referenced by: "))
    fields = {line.split()[0]: line.split(None, 1)[1:] for line in lines[1:end]}
    assert fields["provider"] == ["Meridian Analytics"] and fields["value"] == ["1000.00"]
    assert fields["end_date"] == [] and fields["owner"] == ["Bea"]
    assert "referenced by: 1 deliverable (Q-report, overdue); 1 note (Runbook)" in lines
    history = lines[lines.index("history (2 of 2 events, newest first):") + 1 :]
    assert [line.split("  ")[2:4] for line in history] == [
        ["bea", "update"],
        ["ana", "create"],
    ]
    assert history[0].endswith("owner: — → Bea")


def test_show_json_has_the_record_its_references_and_history(firm: str) -> None:
    assert kpotui(firm, "set", "deliverable", DELIVERABLE, "quality_score=4").exit_code == 0
    result = kpotui(firm, "show", "deliverables", DELIVERABLE.upper(), "--format", "json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert (shown["kind"], shown["key"], shown["version"]) == ("deliverable", DELIVERABLE, 2)
    assert shown["fields"]["quality_score"] == 4 and shown["fields"]["reviewer"] == "Ravi"
    assert shown["derived"] == {"first_submitted_date": None, "rework_rounds": 0}
    assert shown["referenced_by"] == []
    assert [e["action"] for e in shown["history"]] == ["update", "create"]
    assert shown["history"][0]["changes"] == {"quality_score": [None, 4]}


def test_show_history_is_limited(firm: str) -> None:
    for owner in ("A", "B", "C"):
        assert kpotui(firm, "set", "contract", "ENG-1", f"owner={owner}").exit_code == 0
    shown = json.loads(
        kpotui(firm, "show", "contract", "ENG-1", "--history", "2", "--format", "json").stdout
    )
    assert shown["events"] == 4
    assert [e["changes"]["owner"][1] for e in shown["history"]] == ["C", "B"]


def test_add_prints_the_key_and_parses_values_as_the_file_format(firm: str) -> None:
    result = kpotui(
        firm,
        "add",
        "contract",
        "code=ENG-2",
        "title=Second",
        "provider=meridian analytics",
        "service_line=Financial analysis",
        "start_date=2026-01-01",
        "value=12,500.00",
        "currency=eur",
        "compliance=GDPR;SOX",
        "auto_renew=yes",
    )
    assert (result.exit_code, result.stdout) == (0, "ENG-2\n"), result.output
    fields = json.loads(kpotui(firm, "show", "contract", "eng-2", "--format", "json").stdout)[
        "fields"
    ]
    assert fields["value"] == "12500.00" and fields["currency"] == "EUR"
    assert fields["compliance"] == ["GDPR", "SOX"] and fields["auto_renew"] is True
    assert fields["provider"] == "Meridian Analytics"
    assert fields["service_line"] == "financial-analysis"


def test_add_an_activity_by_the_name_the_app_shows(firm: str) -> None:
    result = kpotui(
        firm, "add", "activity", "name=Recon", "classification=core", "sourcing=in-house"
    )
    assert (result.exit_code, result.stdout) == (0, "Recon\n"), result.output
    listed = kpotui(firm, "list", "activities", "--format", "csv")
    assert listed.stdout.splitlines()[1].startswith("Recon,")


def test_set_changes_and_clears_fields_audited(firm: str, as_user: AsUser) -> None:
    with as_user("bea"):
        result = kpotui(
            firm, "set", "deliverable", "eng-1 / q-REPORT, overdue", "amount=1,250.50", "reviewer="
        )
    assert (result.exit_code, result.stdout) == (0, f"{DELIVERABLE}\n"), result.output
    shown = json.loads(kpotui(firm, "show", "deliverable", DELIVERABLE, "--format", "json").stdout)
    assert shown["fields"]["amount"] == "1250.50" and shown["fields"]["reviewer"] is None
    assert shown["version"] == 2
    newest = shown["history"][0]
    assert newest["actor"] == "bea"
    assert newest["changes"] == {"amount": [None, "1250.50"], "reviewer": ["Ravi", None]}


def test_set_is_undone_by_undo(firm: str) -> None:
    assert kpotui(firm, "set", "contract", "ENG-1", "title=Renamed").exit_code == 0
    assert kpotui(firm, "undo", "--yes").exit_code == 0
    shown = json.loads(kpotui(firm, "show", "contract", "ENG-1", "--format", "json").stdout)
    assert shown["fields"]["title"] == "Contract ENG-1"


def test_set_if_version_is_refused_after_another_change_naming_who(
    firm: str, as_user: AsUser
) -> None:
    with as_user("bea"):
        assert kpotui(firm, "set", "contract", "ENG-1", "owner=Bea").exit_code == 0
    before = dump(firm)
    with as_user("ana"):
        result = kpotui(firm, "set", "contract", "ENG-1", "owner=Ana", "--if-version", "1")
    message = refused(result)
    assert message.startswith("contract 'ENG-1' changed since version 1 by bea at ")
    assert message.endswith(" (now version 2)")
    assert dump(firm) == before
    ok = kpotui(firm, "set", "contract", "ENG-1", "owner=Ana", "--if-version", "2")
    assert ok.exit_code == 0, ok.output


def test_clearing_a_required_field_is_refused(firm: str) -> None:
    before = dump(firm)
    assert refused(kpotui(firm, "set", "contract", "ENG-1", "title=")) == (
        "Title: required: it cannot be cleared"
    )
    assert dump(firm) == before


def test_delete_is_refused_with_the_records_referring_to_it(firm: str) -> None:
    before = dump(firm)
    assert refused(kpotui(firm, "delete", "provider", "meridian analytics")) == (
        "cannot delete provider 'Meridian Analytics': referenced by 1 contract (ENG-1)"
    )
    assert dump(firm) == before


def test_delete_is_audited_and_undone_by_undo(firm: str, as_user: AsUser) -> None:
    with as_user("bea"):
        result = kpotui(firm, "delete", "note", "RUNBOOK", "--if-version", "1")
    assert (result.exit_code, result.stdout) == (0, "deleted note Runbook\n"), result.output
    store = open_store(firm)
    try:
        (event,) = audit.recent(store, flt=audit.LogFilter(actor="bea"))
    finally:
        store.close()
    assert (event["action"], event["kind"], event["key"]) == ("delete", "note", "Runbook")
    assert "no note 'Runbook'" in refused(kpotui(firm, "show", "note", "Runbook"))
    with as_user("bea"):
        assert kpotui(firm, "undo", "--yes").exit_code == 0
    assert kpotui(firm, "show", "note", "Runbook").exit_code == 0


def test_delete_if_version_is_refused_after_another_change(firm: str, as_user: AsUser) -> None:
    with as_user("bea"):
        assert kpotui(firm, "set", "note", "Runbook", "author=Bea").exit_code == 0
    before = dump(firm)
    message = refused(kpotui(firm, "delete", "note", "Runbook", "--if-version", "1"))
    assert message.startswith("note 'Runbook' changed since version 1 by bea at ")
    assert dump(firm) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["set", "contract", "ENG-1", "titel=x"],
            "contracts have no field 'titel' (closest: 'title')",
        ),
        (
            ["add", "contract", "code=ENG-9", "provder=Meridian"],
            "contracts have no field 'provder' (closest: 'provider')",
        ),
        (
            ["set", "deliverable", DELIVERABLE, "rework_rounds=2"],
            "rework_rounds is worked out from the deliverable's history: it cannot be set",
        ),
        (
            ["set", "widget", "x", "a=b"],
            "unknown kind 'widget' (known: providers, contracts, deliverables, tasks, notes, "
            "decisions, rates; activities are tasks)",
        ),
        (
            ["set", "contract", "ENG-2", "title=x"],
            "no contract 'ENG-2' (closest: 'ENG-1')",
        ),
        (
            ["delete", "deliverable", "ENG-1 / Q-reprt"],
            f"no deliverable 'ENG-1 / Q-reprt' (closest: {DELIVERABLE!r})",
        ),
        (
            ["show", "deliverable", "ENG-7 / Q-report"],
            "no contract has the code 'ENG-7' (closest: 'ENG-1')",
        ),
        (
            ["set", "deliverable", "Q-report", "title=x"],
            "'Q-report' is not a deliverable key: write CONTRACT / TITLE",
        ),
        (
            ["set", "contract", "ENG-1", "title"],
            "'title' is not FIELD=VALUE (FIELD= clears a field)",
        ),
        (
            ["set", "contract", "ENG-1", "value=-1", "notice_days=x"],
            "Value: must not be negative: -1; Notice days: not a number: 'x'",
        ),
        (
            [
                "add",
                "contract",
                "code=eng-1",
                "title=t",
                "provider=Meridian Analytics",
                "service_line=legal",
                "start_date=2026-01-01",
            ],
            "Code: contract 'eng-1' clashes with existing 'ENG-1' (codes are unique ignoring case)",
        ),
    ],
)
def test_a_mistake_is_one_line_and_changes_nothing(
    firm: str, args: list[str], message: str
) -> None:
    before = dump(firm)
    assert refused(kpotui(firm, *args)) == message
    assert dump(firm) == before


def test_a_read_only_database_is_not_changed(firm: str) -> None:
    before = dump(firm)
    for args in (
        ["set", "contract", "ENG-1", "title=x"],
        ["add", "note", "title=New", "body=b"],
        ["delete", "note", "Runbook"],
    ):
        assert "open read-only" in refused(kpotui(firm, "--read-only", *args))
        assert "open read-only" in refused(kpotui(firm, *args, "--read-only"))
    assert dump(firm) == before


def test_global_options_after_the_subcommand(firm: str) -> None:
    from kpotui.cli import main

    result = CliRunner().invoke(main, ["list", "activities", "--db", firm])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["show", "contract", "ENG-1", "--db", firm])
    assert result.stdout.startswith("contract ENG-1")
    shown = CliRunner().invoke(main, ["db", "path", "--db", "/srv/elsewhere.db"])
    assert shown.stdout == "/srv/elsewhere.db\n"


def test_keys_of_several_fields_hold_dates_and_slashes(firm: str) -> None:
    """A decision is CONTRACT / DATE / SUMMARY: the summary keeps every ' / ' after the
    date; a rate is CURRENCY / DATE, the spaces around '/' optional."""
    added = kpotui(
        firm,
        "add",
        "decision",
        "contract=ENG-1",
        "date=2026-03-01",
        "summary=Source A / B",
        "made_by=provider",
    )
    assert added.stdout == "ENG-1 / 2026-03-01 / Source A / B\n", added.output
    changed = kpotui(firm, "set", "decision", "eng-1 / 2026-03-01 / source a / b", "impact=high")
    assert changed.exit_code == 0, changed.output
    assert refused(kpotui(firm, "show", "decision", "ENG-1 / 2026-3-1 / Source A")) == (
        "decision 'ENG-1 / 2026-3-1 / Source A': date: not a date in YYYY-MM-DD form: '2026-3-1'"
    )
    assert kpotui(firm, "add", "rate", "currency=usd", "date=2026-01-01", "rate=0.9").exit_code == 0
    shown = kpotui(firm, "show", "rates", "USD/2026-01-01")
    assert shown.stdout.startswith("rate USD / 2026-01-01  (version 1)\n"), shown.output
