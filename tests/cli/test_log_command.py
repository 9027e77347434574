"""``kpotui log``: the audit trail across the firm, newest first, filtered in SQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import insert

from kpotui.services import audit, writes
from kpotui.store import Store, open_store
from tests.services import factories as make


class AsUser(Protocol):
    def __call__(self, name: str) -> AbstractContextManager[None]: ...


def log(db: str, *args: str) -> Result:
    from kpotui.cli import main

    return CliRunner().invoke(main, ["--db", db, "log", *args])


@pytest.fixture
def firm(db_url: str, as_user: AsUser) -> Iterator[str]:
    """Ana creates a provider, a contract and an activity; Bea renames the activity and
    deletes a deliverable."""
    store = open_store(db_url)
    try:
        with as_user("ana"):
            make.provider(store)
            make.contract(store)
            task = make.task(store, "Model upkeep")
            pack = make.deliverable(store, "Monthly pack")
        with as_user("bea"):
            writes.update(store, "task", task["id"], {"name": "Model care"}, version=1)
            writes.delete(store, "deliverable", pack["id"], version=1)
    finally:
        store.close()
    yield db_url


def lines(result: Result) -> list[list[str]]:
    assert result.exit_code == 0, result.output
    return [line.split("  ") for line in result.stdout.splitlines()]


def test_newest_first_with_the_fields_changed_and_deleted_records(firm: str) -> None:
    shown = lines(log(firm))
    assert [row[1:5] for row in shown] == [
        ["bea", "delete", "deliverable", "ENG-1 / Monthly pack"],
        ["bea", "update", "activity", "Model care"],
        ["ana", "create", "deliverable", "ENG-1 / Monthly pack"],
        ["ana", "create", "activity", "Model upkeep"],
        ["ana", "create", "contract", "ENG-1"],
        ["ana", "create", "provider", "Meridian"],
    ]
    assert shown[1][5] == "name: Model upkeep → Model care"
    assert "title: Monthly pack → —" in shown[0][5]
    when = datetime.strptime(shown[0][0], "%Y-%m-%d %H:%M").astimezone()
    assert abs(when - datetime.now(UTC)) < timedelta(minutes=5)


def test_filters_combine(firm: str) -> None:
    assert [row[2] for row in lines(log(firm, "--actor", "bea"))] == ["delete", "update"]
    by_kind = lines(log(firm, "--kind", "Activities"))
    assert [row[1:3] for row in by_kind] == [["bea", "update"], ["ana", "create"]]
    assert lines(log(firm, "--kind", "task", "--actor", "ana"))[0][4] == "Model upkeep"
    by_key = lines(log(firm, "--record", "ENG-1 / Monthly pack"))
    assert [row[2] for row in by_key] == ["delete", "create"]
    assert [row[3] for row in lines(log(firm, "--limit", "2"))] == ["deliverable", "activity"]


def test_since_takes_an_age_or_a_date(firm: str) -> None:
    assert len(lines(log(firm, "--since", "1d"))) == 6
    assert len(lines(log(firm, "--since", "2w"))) == 6
    assert (
        lines(log(firm, "--since", (datetime.now() + timedelta(days=2)).date().isoformat())) == []
    )
    assert len(lines(log(firm, "--since", "2020-01-01"))) == 6
    assert len(lines(log(firm, "--since", "-30d"))) == 6  # the other date options' forms
    assert len(lines(log(firm, "--since", "tomorrow"))) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--kind", "invoices"),
            "kpotui: unknown kind 'invoices' (known: providers, contracts, "
            "deliverables, activities, notes, decisions, rates, settings, agenda)\n",
        ),
        (
            ("--since", "last week"),
            "kpotui: --since: 'last week' is neither an age like 7d or 2w nor a date "
            "(YYYY-MM-DD, today, yesterday, tomorrow, or days or weeks from today: "
            "+14d, -30d, +2w)\n",
        ),
    ],
)
def test_a_wrong_filter_is_one_line(firm: str, args: tuple[str, ...], message: str) -> None:
    result = log(firm, *args)
    assert (result.exit_code, result.stderr, result.stdout) == (1, message, "")


def test_json_holds_whole_events(firm: str) -> None:
    result = log(firm, "--format", "json", "--kind", "activity")
    assert result.exit_code == 0, result.output
    update, create = json.loads(result.stdout)
    assert set(update) == {
        "id",
        "at",
        "actor",
        "action",
        "kind",
        "record_id",
        "key",
        "changes",
        "batch",
    }
    assert (update["kind"], update["changes"]) == ("task", {"name": ["Model upkeep", "Model care"]})
    assert update["record_id"] == create["record_id"] and update["id"] > create["id"]
    assert datetime.fromisoformat(update["at"]).tzinfo is not None


def _hostile_event(store: Store, **values: Any) -> None:
    with store.write() as conn:
        conn.execute(insert(audit.AUDIT).values(at=datetime.now(UTC), record_id=1, **values))


def test_hostile_text_is_escaped_and_long_values_shortened(firm: str) -> None:
    store = open_store(firm)
    try:
        _hostile_event(
            store,
            actor="eve\x1b]0;owned\x07",
            action="update",
            kind="provider",
            key="Meridian\x1b[2J",
            changes={"notes\u202e": ["\x1b]52;c;aGk=\x07", "x" * 200]},
        )
    finally:
        store.close()
    text = log(firm, "--limit", "1").stdout
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    _, actor, _, _, key, changes = text.rstrip("\n").split("  ")
    assert (actor, key) == ("eve\\x1b]0;owned\\x07", "Meridian\\x1b[2J")
    assert changes == "notes\\u202e: \\x1b]52;c;aGk=\\x07 → " + "x" * 39 + "…"
    encoded = log(firm, "--limit", "1", "--format", "json").stdout
    assert "\x1b" not in encoded and "\u202e" not in encoded
    assert json.loads(encoded)[0]["changes"]["notes\u202e"][1] == "x" * 200


def test_since_leaves_out_older_events(firm: str) -> None:
    store = open_store(firm)
    try:
        month_ago = datetime.now(UTC) - timedelta(days=30)
        with store.write() as conn:
            conn.execute(insert(audit.AUDIT).values(
                at=month_ago, actor="old", action="update", kind="provider", record_id=1,
                key="Meridian", changes={"country": ["PL", "CZ"]},
            ))  # fmt: skip
    finally:
        store.close()
    assert "old" not in [row[1] for row in lines(log(firm, "--since", "7d"))]
    assert lines(log(firm, "--since", "5w"))[0][1] == "old"
    assert lines(log(firm, "--since", "5w", "--actor", "old"))[0][5] == "country: PL → CZ"
