"""Create / update / delete: audit trail, optimistic locking, refused deletes."""

from __future__ import annotations

import pytest

from kpotui.services import audit, history, listing, records, writes
from kpotui.services.errors import ConflictError, NotFoundError, ReferencedError
from kpotui.store import Store
from tests.services import factories as make


def test_every_write_appends_an_audit_event_with_old_and_new_values(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit, "current_actor", lambda: "priya")
    created = make.provider(store, country="India")
    writes.update(store, "provider", created["id"], {"country": "Poland"}, version=1)
    writes.delete(store, "provider", created["id"], version=2)

    events = history.record_history(store, "provider", created["id"])
    assert [e["action"] for e in events] == ["create", "update", "delete"]
    assert {e["actor"] for e in events} == {"priya"}
    assert events[0]["changes"] == {"name": [None, "Meridian"], "country": [None, "India"]}
    assert events[1]["changes"] == {"country": ["India", "Poland"]}
    assert events[2]["changes"] == {"name": ["Meridian", None], "country": ["Poland", None]}
    assert {e["key"] for e in events} == {"Meridian"}


def test_actor_is_the_os_account_not_the_user_variable(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import pwd

    monkeypatch.setenv("USER", "someone-else")
    monkeypatch.setenv("LOGNAME", "someone-else")
    make.provider(store)
    assert audit.recent(store, limit=1)[0]["actor"] == pwd.getpwuid(os.geteuid()).pw_name


def test_an_update_that_changes_nothing_writes_nothing(store: Store) -> None:
    created = make.provider(store, country="India")
    same = writes.update(store, "provider", created["id"], {"country": "India"}, version=1)
    assert same["version"] == 1
    assert len(history.record_history(store, "provider", created["id"])) == 1


def test_second_of_two_concurrent_saves_is_refused_and_first_survives(store: Store) -> None:
    make.provider(store)
    contract = make.contract(store)
    mine = records.get(store, "contract", contract["id"])
    theirs = records.get(store, "contract", contract["id"])

    writes.update(store, "contract", mine["id"], {"owner": "Priya"}, version=mine["version"])
    with pytest.raises(ConflictError) as caught:
        writes.update(
            store, "contract", theirs["id"], {"owner": "Tomás"}, version=theirs["version"]
        )

    assert caught.value.current is not None
    assert caught.value.current["owner"] == "Priya"
    stored = records.get(store, "contract", contract["id"])
    assert (stored["owner"], stored["version"]) == ("Priya", 2)


def test_delete_of_a_changed_record_is_refused(store: Store) -> None:
    created = make.provider(store)
    writes.update(store, "provider", created["id"], {"country": "India"}, version=1)
    with pytest.raises(ConflictError):
        writes.delete(store, "provider", created["id"], version=1)
    assert records.get(store, "provider", created["id"])["country"] == "India"


def test_delete_of_a_referenced_record_says_what_references_it(store: Store) -> None:
    provider = make.provider(store)
    make.contract(store, "ENG-1")
    make.contract(store, "ENG-2")
    make.note(store, provider="Meridian")
    with pytest.raises(ReferencedError) as caught:
        writes.delete(store, "provider", provider["id"], version=None)
    assert str(caught.value) == (
        "cannot delete provider 'Meridian': referenced by 2 contracts (ENG-1, ENG-2) "
        "and 1 note (Runbook)"
    )
    assert records.get(store, "provider", provider["id"])["name"] == "Meridian"


def test_deleting_an_unreferenced_record(store: Store) -> None:
    created = make.provider(store)
    writes.delete(store, "provider", created["id"], version=1)
    with pytest.raises(NotFoundError):
        records.get(store, "provider", created["id"])


def test_find_by_natural_key(store: Store) -> None:
    make.provider(store)
    make.contract(store)
    made = make.deliverable(store, "Pack")
    found = records.find(store, "deliverable", {"contract": "ENG-1", "title": "Pack"})
    assert found is not None and found["id"] == made["id"]
    assert records.find(store, "deliverable", {"contract": "ENG-9", "title": "Pack"}) is None


def test_find_ignores_case_in_names_and_references(store: Store) -> None:
    make.provider(store)
    make.contract(store)
    made = make.deliverable(store, "Monthly Pack")
    found = records.find(store, "deliverable", {"contract": "eng-1", "title": "MONTHLY pack"})
    assert found is not None and found["id"] == made["id"]
    contract = records.find(store, "contract", {"code": " Eng-1 "})
    assert contract is not None and contract["code"] == "ENG-1"
    assert records.find(store, "deliverable", {"contract": "ENG-1", "title": "Monthly"}) is None


def test_keyset_pages_walk_forwards_and_backwards_over_every_row(store: Store) -> None:
    make.provider(store)
    make.contract(store)
    for day in range(1, 26):
        due = None if day % 5 == 0 else f"2025-03-{day:02d}"
        make.deliverable(store, f"D{day:02d}", due_date=due or "2025-01-01", reviewer=due)

    forward: list[str] = []
    cursor = None
    while True:
        chunk = listing.page(store, "deliverable", sort="reviewer", after=cursor, limit=4)
        forward += [r["title"] for r in chunk]
        if len(chunk) < 4:
            break
        cursor = listing.cursor_of(chunk[-1], "reviewer", "deliverable")
    assert len(forward) == 25
    assert forward[-5:] == ["D05", "D10", "D15", "D20", "D25"]  # NULLs last, by id

    last = listing.page(store, "deliverable", sort="reviewer", before=listing.END, limit=4)
    assert [r["title"] for r in last] == forward[-4:]
    before = listing.page(
        store,
        "deliverable",
        sort="reviewer",
        before=listing.cursor_of(last[0], "reviewer", "deliverable"),
        limit=4,
    )
    assert [r["title"] for r in before] == forward[-8:-4]
    assert listing.count(store, "deliverable", listing.ListFilter(text="d1")) == 10


def test_descending_pages_and_seek(store: Store) -> None:
    make.provider(store)
    for number in range(1, 8):
        make.contract(store, f"ENG-{number}")
    first = listing.page(store, "contract", sort="code", descending=True, limit=3)
    assert [r["code"] for r in first] == ["ENG-7", "ENG-6", "ENG-5"]
    after = listing.cursor_of(first[-1], "code", "contract")
    nxt = listing.page(store, "contract", sort="code", descending=True, after=after, limit=3)
    assert [r["code"] for r in nxt] == ["ENG-4", "ENG-3", "ENG-2"]
    sought = listing.seek(store, "contract", 3, sort="code", descending=True)
    assert sought == after


def test_note_search_is_full_text_over_title_body_and_tags(store: Store) -> None:
    make.note(store, "Valuation runbook", body="We rebuild the DCF each quarter.", tags=["wacc"])
    make.note(store, "Vendor lessons", body="Escalate late packs on day two.")

    def titles(text: str) -> list[str]:
        return [r["title"] for r in listing.page(store, "note", flt=listing.ListFilter(text=text))]

    assert titles("dcf quarter") == ["Valuation runbook"]
    assert titles("vendor") == ["Vendor lessons"]
    assert titles("wac") == ["Valuation runbook"]  # prefix match, tags included
    assert titles("escalate dcf") == []
    assert titles('"; DROP TABLE note; --') == []


def test_a_record_that_gets_a_deleted_records_id_starts_its_own_history(store: Store) -> None:
    """SQLite reuses the highest id after a delete; PostgreSQL's sequence never does."""
    make.provider(store)
    first = make.contract(store, code="ENG-1")
    writes.delete(store, "contract", first["id"], version=first["version"])
    second = make.contract(store, code="ENG-2")

    events = history.record_history(store, "contract", second["id"])
    assert [(e["action"], e["key"]) for e in events] == [("create", "ENG-2")]


def test_a_record_stored_before_the_character_rules_is_found_by_its_name(store: Store) -> None:
    from sqlalchemy import text

    make.provider(store, "Evil Corp")
    with store.write() as conn:  # as older data, or another tool, may have stored it
        conn.execute(text("UPDATE provider SET name = :name"), {"name": "Evil\x1b[2JCorp"})
    found = records.find(store, "provider", {"name": " Evil\x1b[2JCorp "})
    assert found is not None and found["name"] == "Evil\x1b[2JCorp"


def test_a_name_renamed_or_deleted_earlier_in_a_batch_is_looked_up_again(store: Store) -> None:
    from kpotui.services import writes
    from kpotui.services.fields import kind_spec

    acme = make.provider(store, "Acme")
    gone = make.provider(store, "Gone")
    provider, contract = kind_spec("provider"), kind_spec("contract")
    with store.write() as conn:
        problems = writes.FieldProblems()
        batch = writes.Batch(conn, problems)
        batch.put(
            contract,
            [
                writes.Item(
                    {"code": "C-1", "title": "A", "provider": "Acme", "service_line": "legal"}
                )
            ],
        )  # Acme's id is known now
        batch.update(provider, [(acme["id"], {"name": "Acme Ltd"}, None)])
        batch.delete(provider, [(gone["id"], None)])
        for code, name in (("C-2", "Acme"), ("C-3", "Gone")):
            item = {"code": code, "title": code, "provider": name, "service_line": "legal"}
            batch.put(contract, [writes.Item(item)])
            assert problems.errors.pop("provider") == f"no provider named {name!r}"
