"""Natural keys are unique ignoring case and surrounding whitespace, on both databases:
through the forms' services, an import (with its file:line:field), an upsert and the
references a file names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kpotui.services import records, writes
from kpotui.services.errors import ValidationError
from kpotui.store import Store, open_store
from tests.interchange.conftest import export, kpotui

CONTRACT = {
    "code": "ENG-2023-004",
    "title": "Patent landscape",
    "provider": "DupCo",
    "service_line": "ip-research",
    "start_date": "2025-01-01",
}


@pytest.fixture
def firm(store: Store) -> Store:
    writes.create(store, "provider", {"name": "DupCo", "country": "India"})
    writes.create(store, "contract", CONTRACT)
    writes.create(store, "deliverable", {**_deliverable("Claim map")})
    return store


def _deliverable(title: str, contract: str = "ENG-2023-004") -> dict[str, str]:
    return {"contract": contract, "title": title, "due_date": "2025-02-01"}


@pytest.mark.parametrize(
    ("kind", "values", "field", "message"),
    [
        (
            "provider",
            {"name": "  dupco "},
            "name",
            "provider 'dupco' clashes with existing 'DupCo' (names are unique ignoring case)",
        ),
        (
            "contract",
            {**CONTRACT, "code": "eng-2023-004"},
            "code",
            "contract 'eng-2023-004' clashes with existing 'ENG-2023-004' "
            "(codes are unique ignoring case)",
        ),
        (
            "deliverable",
            _deliverable("CLAIM MAP", contract="eng-2023-004"),
            "title",
            "deliverable 'eng-2023-004 / CLAIM MAP' clashes with existing "
            "'ENG-2023-004 / Claim map' (titles are unique per contract ignoring case)",
        ),
    ],
)
def test_a_case_variant_of_a_key_is_refused_naming_both(
    firm: Store, kind: str, values: dict[str, str], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        writes.create(firm, kind, values)
    assert raised.value.errors == {field: message}
    assert records.counts(firm)[kind] == 1


def test_a_rename_may_change_case_but_not_take_another_key(firm: Store) -> None:
    other = writes.create(firm, "provider", {"name": "Other Ltd"})
    with pytest.raises(ValidationError, match="clashes with existing 'DupCo'"):
        writes.update(firm, "provider", other["id"], {"name": "DUPCO"}, version=1)
    renamed = writes.update(firm, "provider", other["id"], {"name": "OTHER LTD"}, version=1)
    assert renamed["name"] == "OTHER LTD"


def test_only_ascii_letters_fold_on_both_databases(store: Store) -> None:
    """What SQLite's lower() does, and PostgreSQL's under the C collation."""
    writes.create(store, "provider", {"name": "Müller GmbH"})
    writes.create(store, "provider", {"name": "MÜLLER GMBH"})  # Ü is not folded
    with pytest.raises(ValidationError, match="clashes with existing 'Müller GmbH'"):
        writes.create(store, "provider", {"name": "müller gmbh"})
    assert records.counts(store)["provider"] == 2


def test_the_database_refuses_a_case_variant_the_write_path_missed(firm: Store) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), firm.write() as conn:
        conn.execute(
            text(
                "INSERT INTO provider (name, services, certifications, created_at, updated_at,"
                " version) VALUES ('dupCO', '[]', '[]', '2025-01-01', '2025-01-01', 1)"
            )
        )


def _csv(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_an_import_of_a_case_variant_fails_at_its_line_and_changes_nothing(
    firm: Store, db_url: str, tmp_path: Path
) -> None:
    before = export(db_url)
    path = _csv(tmp_path, "providers.csv", "name,country\nNew Co,India\ndupco,India\n")
    result = kpotui(db_url, "import", path)
    assert result.exit_code == 1
    assert (
        "providers.csv:3: name: provider 'dupco' clashes with existing 'DupCo' "
        "(names are unique ignoring case)" in result.stderr
    )
    assert export(db_url) == before


def test_case_variants_within_one_import_are_refused(db_url: str, tmp_path: Path) -> None:
    path = _csv(tmp_path, "providers.csv", "name\nMeridian Ltd\nMERIDIAN LTD\n")
    result = kpotui(db_url, "import", path)
    assert result.exit_code == 1
    assert (
        "providers.csv:3: name: 'MERIDIAN LTD' clashes with 'Meridian Ltd' given earlier "
        "in this import (names are unique ignoring case)" in result.stderr
    )


def test_an_import_refers_to_records_ignoring_case(
    firm: Store, db_url: str, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path,
        "deliverables.csv",
        "contract,title,due_date\neng-2023-004,Risk memo,2025-03-01\n",
    )
    result = kpotui(db_url, "import", path)
    assert result.exit_code == 0, result.output
    found = records.find(firm, "deliverable", {"contract": "ENG-2023-004", "title": "Risk memo"})
    assert found is not None and found["contract"] == "ENG-2023-004"


def test_an_upsert_of_a_case_variant_updates_the_record_and_keeps_its_name(
    firm: Store, db_url: str, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path,
        "contracts.csv",
        "code,title,provider,service_line,start_date\n"
        "eng-2023-004,Patent landscape,dupco,ip-research,2025-01-01\n",
    )
    result = kpotui(db_url, "import", "--on-conflict", "update", path)
    assert result.exit_code == 0, result.output
    contract = records.find(firm, "contract", {"code": "ENG-2023-004"})
    assert contract is not None and contract["version"] == 1  # nothing changed
    path = _csv(tmp_path, "providers.csv", "name,country\nDUPCO,Poland\n")
    result = kpotui(db_url, "import", "--on-conflict", "update", path)
    assert result.exit_code == 0, result.output
    provider = records.find(firm, "provider", {"name": "DupCo"})
    assert provider is not None and provider["country"] == "Poland"
    assert records.counts(firm)["provider"] == 1


def test_a_reference_in_another_case_is_no_change(firm: Store) -> None:
    contract = records.find(firm, "contract", {"code": "ENG-2023-004"})
    assert contract is not None
    kept = writes.update(firm, "contract", contract["id"], {"provider": "DUPCO"}, version=1)
    assert kept["version"] == 1 and kept["provider"] == "DupCo"


def test_a_file_naming_a_record_renamed_earlier_in_the_batch_finds_it(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    store = open_store(db)
    try:
        writes.create(store, "provider", {"name": "Acme"})
    finally:
        store.close()
    path = _csv(
        tmp_path,
        "contracts.csv",
        "code,title,provider,service_line,start_date\nC-1,T,ACME,legal,2025-01-01\n",
    )
    assert kpotui(db, "import", path).exit_code == 0


def test_a_case_variant_in_a_later_chunk_names_the_spelling_written_first(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kpotui.interchange import importer

    monkeypatch.setattr(importer, "CHUNK_ROWS", 1)  # the first is written when the second comes
    first = _csv(tmp_path, "a.csv", "name\nMeridian Ltd\n")
    second = _csv(tmp_path, "b.csv", "name\nmeridian LTD\n")
    result = kpotui(db_url, "import", "--kind", "providers", first, second)
    assert result.exit_code == 1
    assert (
        "b.csv:2: name: 'meridian LTD' clashes with 'Meridian Ltd' given earlier in this "
        "import (names are unique ignoring case)" in result.stderr
    )


def test_each_key_ends_with_its_only_text_field_and_has_its_folded_index() -> None:
    """What ``statements.folded_key`` and the indexes of ``kpotui.store.keys`` rely on."""
    from kpotui.services.fields import KINDS, FieldType
    from kpotui.store.keys import FOLDED_KEYS

    by_table = {key.table: key for key in FOLDED_KEYS}
    for spec in KINDS.values():
        texts = [n for n in spec.key if spec.field(n).type is FieldType.TEXT]
        if not texts:  # rates: a currency code (upper-cased on input) and a date
            assert records.table_of(spec).name not in by_table, spec.name
            continue
        assert texts == [spec.key[-1]], spec.name
        index = by_table[records.table_of(spec).name]
        assert (*index.before, index.text) == tuple(spec.field(n).column for n in spec.key)


@pytest.mark.parametrize("chunk_rows", [1, 1000])
def test_keys_that_share_a_hash_are_not_taken_for_one_given_twice(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_rows: int
) -> None:
    """A batch remembers the hashes of the keys it wrote, not the keys: a hash seen before
    is checked against the key itself, in this chunk and in those written already."""
    from kpotui.interchange import importer

    monkeypatch.setattr(importer, "CHUNK_ROWS", chunk_rows)
    monkeypatch.setattr(writes, "hash", lambda key: 0, raising=False)  # every key collides
    path = _csv(tmp_path, "p.csv", "name\nAlpha\nBeta\nalpha\n")
    result = kpotui(db_url, "import", "--kind", "providers", path)
    assert result.exit_code == 1
    assert "p.csv:4: name: 'alpha' clashes with 'Alpha' given earlier" in result.stderr
    fixed = _csv(tmp_path, "q.csv", "name\nAlpha\nBeta\nGamma\n")
    assert kpotui(db_url, "import", "--kind", "providers", fixed).exit_code == 0
    listed = kpotui(db_url, "list", "providers", "--format", "json")
    assert {r["name"] for r in json.loads(listed.stdout)["providers"]} == {"Alpha", "Beta", "Gamma"}
