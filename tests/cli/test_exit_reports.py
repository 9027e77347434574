"""``kpotui report impact | exit | knowledge``: scoped by their options, refused clearly."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner, Result

from kpotui.store import open_store
from tests.services import factories as make


def report(db: str, *args: str) -> Result:
    from kpotui.cli import main

    return CliRunner().invoke(main, ["--db", db, "report", *args, "--today", "2026-10-15"])


@pytest.fixture
def firm(db_url: str) -> Iterator[str]:
    store = open_store(db_url)
    try:
        make.provider(store, country="India")
        make.contract(
            store,
            status="active",
            end_date="2026-12-31",
            notice_days=60,
            exit_assets=["source data"],
            exit_alternative="in-house",
            exit_transition_weeks=16,
            exit_plan_reviewed="2026-03-01",
        )
        make.task(
            store, "Signal construction", contract="ENG-1", owner="Ana", knowledge_risk="high"
        )
        make.note(store, "Signal runbook", kind="runbook", task="Signal construction")
    finally:
        store.close()
    yield db_url


def test_impact_of_a_provider_as_json(firm: str) -> None:
    result = report(firm, "impact", "--provider", "MERIDIAN", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["scope"] == "provider Meridian"
    assert [c["earliest_exit"] for c in data["contracts"]] == ["2026-12-31"]
    assert [a["notes"] for a in data["activities"]] == ["fresh"]


def test_the_exit_plan_of_one_contract_is_a_markdown_document(firm: str) -> None:
    result = report(firm, "exit", "--contract", "eng-1", "--format", "md")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Exit plan: ENG-1 Contract ENG-1 (Meridian)")
    assert "| what comes back | source data |" in result.output
    assert "| Signal runbook | runbook | Signal construction |" in result.output
    assert "## Gaps: readiness 85 of 100" in result.output
    assert "transition takes 16 weeks, notice is 60 days" in result.output


def test_knowledge_by_person(firm: str) -> None:
    result = report(firm, "knowledge", "--by", "person", "--format", "json")
    assert result.exit_code == 0, result.output
    (ana,) = json.loads(result.output)["by_person"]
    assert (ana["person"], ana["sole_holder_of"]) == ("Ana", ["Signal construction"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["impact"], "report impact: give --provider NAME or --country NAME"),
        (["impact", "--provider", "Nobody"], "no provider named 'Nobody'"),
        (["impact", "--country", "Chile"], "no provider in country 'Chile'"),
        (["exit", "--contract", "ENG-9"], "no contract 'ENG-9'"),
        (["summary", "--provider", "Meridian"], "--provider: not an option of 'report summary'"),
    ],
)
def test_a_wrong_scope_is_one_clear_line(firm: str, args: list[str], message: str) -> None:
    result = report(firm, *args)
    assert result.exit_code != 0
    assert result.output.strip() == f"kpotui: {message}"
