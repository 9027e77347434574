"""Provider reliability is read from ``provider_reliability``, which database triggers keep
(migrations 0005, 0006, 0010). After every kind of write it must hold exactly what counting
the deliverables gives: single records created, changed, moved and deleted, a refused
write, an import and its undo, and an upgrade of a database that already held deliverables.
"""

from __future__ import annotations

import io
import random
from datetime import date, timedelta
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import and_, case, create_engine, func, select

from kpotui import models as m
from kpotui.interchange import importer
from kpotui.interchange.inputs import CsvSource
from kpotui.models import utcnow
from kpotui.services import insights, records, undo, writes
from kpotui.services.bulk_insert import insert_many
from kpotui.services.errors import ConflictError, UndoError, ValidationError
from kpotui.services.fields import kind_spec
from kpotui.services.marking import DATES_KEPT, mark_changes
from kpotui.store import Store, open_store
from kpotui.store.migrate import MIGRATIONS_DIR
from tests.services import factories as make

TODAY = date(2025, 6, 30)
Figures = tuple[int, int, int, float | None, int, int, int]
"""deliverables, delivered, on time, average quality, accepted, first time right, rounds of
rework."""
NONE: Figures = (0, 0, 0, None, 0, 0, 0)


def counted(store: Store) -> dict[str, Figures]:
    """Each provider's figures counted from the deliverables themselves."""
    p = m.Provider.__table__  # type: ignore[attr-defined]
    c = m.Contract.__table__  # type: ignore[attr-defined]
    d = m.Deliverable.__table__  # type: ignore[attr-defined]
    first = func.coalesce(d.c.first_submitted_date, d.c.submitted_date)
    accepted = d.c.status == "accepted"
    query = (
        select(
            p.c.name,
            func.count(d.c.id),
            func.count(d.c.submitted_date),
            func.count(d.c.id).filter(d.c.submitted_date.is_not(None), first <= d.c.due_date),
            func.avg(d.c.quality_score),
            func.count(d.c.id).filter(accepted),
            func.count(d.c.id).filter(accepted, d.c.rework_rounds == 0),
            func.coalesce(func.sum(d.c.rework_rounds), 0),
        )
        .select_from(
            p.outerjoin(c, c.c.provider_id == p.c.id).outerjoin(d, d.c.contract_id == c.c.id)
        )
        .group_by(p.c.name)
    )
    with store.read() as conn:
        rows = conn.execute(query).all()
    return {
        r[0]: (r[1], r[2], r[3], None if r[4] is None else round(float(r[4]), 2), *r[5:])
        for r in rows
    }


def kept(store: Store) -> dict[str, Figures]:
    """The figures as the dashboard reads them (from the rollup)."""
    return {
        r.provider: (
            r.deliverables,
            r.delivered,
            r.on_time,
            r.average_quality,
            r.accepted,
            r.first_time_right,
            r.rework_rounds,
        )
        for r in insights.reliability(store, TODAY)
    }


def exact(store: Store) -> dict[str, Figures]:
    """The rollup's figures, after checking they are the counted ones."""
    figures = kept(store)
    assert figures == counted(store)
    return figures


def update(store: Store, kind: str, key: dict[str, Any], **changes: Any) -> dict[str, Any]:
    current = records.find(store, kind, key)
    assert current is not None
    return writes.update(store, kind, current["id"], changes, version=current["version"])


def delete(store: Store, kind: str, key: dict[str, Any]) -> None:
    current = records.find(store, kind, key)
    assert current is not None
    writes.delete(store, kind, current["id"], version=current["version"])


@pytest.fixture
def two_providers(store: Store) -> Store:
    make.provider(store, "Anand")
    make.provider(store, "Baltic")
    make.contract(store, "ENG-A", "Anand")
    make.contract(store, "ENG-B", "Baltic")
    return store


def test_single_record_writes_keep_the_rollup_exact(two_providers: Store) -> None:
    store = two_providers
    assert exact(store) == {"Anand": NONE, "Baltic": NONE}

    make.deliverable(store, "On time", "ENG-A", submitted_date="2025-05-30", quality_score=4)
    make.deliverable(store, "Late", "ENG-A", submitted_date="2025-06-05", quality_score=1)
    make.deliverable(store, "Owed", "ENG-A", status="rework")
    assert exact(store) == {"Anand": (3, 2, 1, 2.5, 0, 0, 1), "Baltic": NONE}

    update(store, "deliverable", {"contract": "ENG-A", "title": "Late"}, due_date="2025-06-10")
    update(store, "deliverable", {"contract": "ENG-A", "title": "Owed"}, status="in-progress")
    assert exact(store)["Anand"] == (3, 2, 2, 2.5, 0, 0, 1), "the round of rework is kept"
    update(store, "deliverable", {"contract": "ENG-A", "title": "Late"}, status="accepted")
    assert exact(store)["Anand"] == (3, 2, 2, 2.5, 1, 1, 1)

    # a deliverable moved to another provider's contract, then a whole contract moved
    update(store, "deliverable", {"contract": "ENG-A", "title": "On time"}, contract="ENG-B")
    assert exact(store) == {"Anand": (2, 1, 1, 1.0, 1, 1, 1), "Baltic": (1, 1, 1, 4.0, 0, 0, 0)}
    update(store, "contract", {"code": "ENG-A"}, provider="Baltic")
    assert exact(store) == {"Anand": NONE, "Baltic": (3, 2, 2, 2.5, 1, 1, 1)}

    delete(store, "deliverable", {"contract": "ENG-A", "title": "Late"})
    assert exact(store)["Baltic"] == (2, 1, 1, 4.0, 0, 0, 1)

    make.provider(store, "Chennai")
    assert exact(store)["Chennai"] == NONE
    delete(store, "provider", {"name": "Chennai"})
    delete(store, "provider", {"name": "Anand"})
    assert exact(store) == {"Baltic": (2, 1, 1, 4.0, 0, 0, 1)}
    with store.read() as conn:
        rows = conn.exec_driver_sql("SELECT count(*) FROM provider_reliability").scalar()
    assert rows == 1, "a deleted provider's row goes with it"


def test_a_refused_write_leaves_the_rollup_as_it_was(two_providers: Store) -> None:
    store = two_providers
    first = make.deliverable(store, "Pack", "ENG-A", submitted_date="2025-05-30", quality_score=5)
    update(store, "deliverable", {"contract": "ENG-A", "title": "Pack"}, status="rework")
    before = exact(store)
    assert before["Anand"] == (1, 1, 1, 5.0, 0, 0, 1)

    with pytest.raises(ConflictError):  # someone changed it since ``first`` was read
        writes.update(
            store, "deliverable", first["id"], {"contract": "ENG-B"}, version=first["version"]
        )
    with pytest.raises(ConflictError):
        writes.delete(store, "deliverable", first["id"], version=first["version"])
    contract = records.find(store, "contract", {"code": "ENG-A"})
    assert contract is not None
    with pytest.raises(ConflictError):
        writes.update(store, "contract", contract["id"], {"provider": "Baltic"}, version=0)
    assert exact(store) == before


def _import(store: Store, kind: str, text: str) -> None:
    source = CsvSource(f"{kind}.csv", kind_spec(kind), io.BytesIO(text.encode()))
    importer.import_sources(store, [source], on_conflict="update")


@pytest.mark.parametrize("large", [False, True], ids=["small import", "large import"])
def test_an_import_and_its_undo_keep_the_rollup_exact(
    two_providers: Store, large: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large import (on SQLite) drops and rebuilds its kind's secondary indexes: the
    triggers must count every row all the same."""
    if large:
        monkeypatch.setattr(writes, "DEFER_INDEXES_AFTER_ROWS", 1)
    store = two_providers
    make.deliverable(store, "Kept", "ENG-A", submitted_date="2025-05-30", quality_score=3)
    before = exact(store)

    _import(store, "providers", "name\nChennai\n")
    _import(
        store,
        "contracts",
        "code,title,provider,service_line,start_date\nENG-C,Contract C,Chennai,legal,2025-01-01\n",
    )
    _import(
        store,
        "deliverables",
        "contract,title,due_date,status,submitted_date,quality_score\n"
        "ENG-A,Kept,2025-06-01,rework,2025-06-03,1\n"  # an update: late now, in rework
        "ENG-B,New,2025-06-01,accepted,2025-06-01,4\n"
        "ENG-C,First,2025-06-01,planned,,\n"
        "ENG-C,Second,2025-06-01,submitted,2025-05-01,2\n",
    )
    assert exact(store) == {
        "Anand": (1, 1, 0, 1.0, 0, 0, 1),
        "Baltic": (1, 1, 1, 4.0, 1, 1, 0),
        "Chennai": (2, 1, 1, 2.0, 0, 0, 0),
    }

    undo.undo_last(store)  # the deliverables' import
    after_undo = exact(store)
    assert after_undo["Anand"] == before["Anand"] == (1, 1, 1, 3.0, 0, 0, 0)
    assert after_undo["Baltic"] == before["Baltic"]
    assert after_undo["Chennai"] == NONE


def _alembic(conn: Any) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn
    return cfg


def test_the_upgrade_counts_the_deliverables_already_there(db_url: str) -> None:
    store = open_store(db_url)
    make.provider(store, "Anand")
    make.provider(store, "Baltic")
    make.contract(store, "ENG-A", "Anand")
    make.deliverable(store, "Pack", "ENG-A", submitted_date="2025-05-30", quality_score=4)
    store.close()
    engine = create_engine(db_url if "://" in db_url else f"sqlite:///{db_url}")
    with engine.begin() as conn:
        command.downgrade(_alembic(conn), "0004")
        assert "provider_reliability" not in conn.dialect.get_table_names(conn)
        # written with no trigger to count it: only the upgrade can
        d = m.Deliverable.__table__  # type: ignore[attr-defined]
        conn.execute(
            d.update()
            .where(and_(d.c.title == "Pack"))
            .values(status="rework", submitted_date=date(2025, 6, 2))
        )
    engine.dispose()

    upgraded = open_store(db_url)
    try:
        assert upgraded.upgraded_from == "0004"
        assert exact(upgraded) == {"Anand": (1, 1, 0, 4.0, 0, 0, 1), "Baltic": NONE}
        make.deliverable(upgraded, "Next", "ENG-A", submitted_date="2025-05-01")
        assert exact(upgraded)["Anand"] == (2, 2, 1, 4.0, 0, 0, 1), "the triggers work after it"
    finally:
        upgraded.close()


def _ids(store: Store, kind: str, field: str) -> dict[str, int]:
    table = {"contract": m.Contract, "provider": m.Provider}[kind].__table__  # type: ignore[attr-defined]
    with store.read() as conn:
        return {row[0]: row[1] for row in conn.execute(select(table.c[field], table.c.id))}


def test_statements_of_many_rows_keep_the_rollup_exact(two_providers: Store) -> None:
    """One statement writing rows of several providers at once: an executemany insert, a
    multi-row update that moves and changes rows, one that moves contracts both ways, a
    multi-row delete (on PostgreSQL each is one run of a statement-level trigger)."""
    store = two_providers
    make.provider(store, "Chennai")
    make.contract(store, "ENG-C", "Chennai")
    make.contract(store, "ENG-A2", "Anand")
    contract = _ids(store, "contract", "code")
    provider = _ids(store, "provider", "name")
    d = m.Deliverable.__table__  # type: ignore[attr-defined]
    due = date(2025, 6, 1)
    rows = [
        (contract[code], f"{code} {i}", due, status, submitted, score, rounds)
        for i, (code, status, submitted, score, rounds) in enumerate(
            [
                ("ENG-A", "accepted", date(2025, 5, 30), 4, 1),
                ("ENG-A", "rework", date(2025, 6, 3), 2, 2),
                ("ENG-A2", "planned", None, None, 0),
                ("ENG-B", "accepted", date(2025, 6, 1), 5, 0),
                ("ENG-B", "submitted", date(2025, 6, 9), None, 0),
                ("ENG-C", "rework", None, 1, 1),
                ("ENG-C", "accepted", date(2025, 5, 1), 3, 0),
            ]
        )
    ]
    columns = [
        "contract_id",
        "title",
        "due_date",
        "status",
        "submitted_date",
        "quality_score",
        "rework_rounds",
    ]
    now = utcnow()
    with store.write() as conn:
        insert_many(conn, d, columns, rows, {"created_at": now, "updated_at": now, "version": 1})
    assert exact(store) == {
        "Anand": (3, 2, 1, 3.0, 1, 0, 3),
        "Baltic": (2, 2, 1, 5.0, 1, 1, 0),
        "Chennai": (2, 1, 1, 2.0, 1, 1, 1),
    }

    with store.write() as conn:  # A's rows to C, C's to B; every score up by one
        conn.execute(
            d.update().values(
                contract_id=case(
                    (d.c.contract_id == contract["ENG-A"], contract["ENG-C"]),
                    (d.c.contract_id == contract["ENG-C"], contract["ENG-B"]),
                    else_=d.c.contract_id,
                ),
                quality_score=d.c.quality_score + 1,
                status=case((d.c.status == "rework", "accepted"), else_=d.c.status),
            )
        )
    assert exact(store) == {
        "Anand": (1, 0, 0, None, 0, 0, 0),
        "Baltic": (4, 3, 2, 4.0, 3, 2, 1),
        "Chennai": (2, 2, 1, 4.0, 2, 0, 3),
    }

    with store.write() as conn:  # nothing the figures depend on
        conn.execute(d.update().values(description="checked"))
    c = m.Contract.__table__  # type: ignore[attr-defined]
    with store.write() as conn:  # B's contract to Anand and A2 to Baltic, in one statement
        conn.execute(
            c.update()
            .where(c.c.code.in_(["ENG-B", "ENG-A2"]))
            .values(
                provider_id=case((c.c.code == "ENG-B", provider["Anand"]), else_=provider["Baltic"])
            )
        )
    assert exact(store) == {
        "Anand": (4, 3, 2, 4.0, 3, 2, 1),
        "Baltic": (1, 0, 0, None, 0, 0, 0),
        "Chennai": (2, 2, 1, 4.0, 2, 0, 3),
    }

    with store.write() as conn:
        conn.execute(d.delete().where(d.c.quality_score.is_not(None)))
    assert exact(store) == {
        "Anand": (1, 1, 0, None, 0, 0, 0),
        "Baltic": (1, 0, 0, None, 0, 0, 0),
        "Chennai": NONE,
    }


def _row_triggers(conn: Any) -> list[str]:
    """The rollup's row-level triggers on PostgreSQL (bit 0 of tgtype: FOR EACH ROW)."""
    return list(
        conn.exec_driver_sql(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgtype & 1 = 1"
            " AND starts_with(tgname, 'provider_reliability') ORDER BY tgname"
        ).scalars()
    )


def test_a_downgrade_to_row_triggers_and_back_keeps_the_rollup_exact(db_url: str) -> None:
    """0006 swaps 0005's row triggers for statement triggers on PostgreSQL (on SQLite it
    changes nothing): a deliverable written under 0005's triggers and one under 0006's are
    both counted."""
    store = open_store(db_url)
    make.provider(store, "Anand")
    make.contract(store, "ENG-A", "Anand")
    make.deliverable(store, "Pack", "ENG-A", submitted_date="2025-05-30", quality_score=4)
    store.close()
    postgres = "://" in db_url
    engine = create_engine(db_url if postgres else f"sqlite:///{db_url}")
    with engine.begin() as conn:
        if postgres:
            assert _row_triggers(conn) == []
        command.downgrade(_alembic(conn), "0005")
        if postgres:
            assert _row_triggers(conn) == [
                "provider_reliability_deliverable",
                "provider_reliability_move",
                "provider_reliability_new_provider",
            ]
        d = m.Deliverable.__table__  # type: ignore[attr-defined]
        contract_id = conn.exec_driver_sql("SELECT id FROM contract").scalar_one()
        now = utcnow()
        late = [(contract_id, "Late", date(2025, 6, 1), "rework", date(2025, 6, 9))]
        columns = ["contract_id", "title", "due_date", "status", "submitted_date"]
        insert_many(conn, d, columns, late, {"created_at": now, "updated_at": now, "version": 1})
    engine.dispose()

    upgraded = open_store(db_url)
    try:
        assert upgraded.upgraded_from == "0005"
        make.deliverable(upgraded, "Next", "ENG-A", submitted_date="2025-05-01", quality_score=2)
        assert exact(upgraded) == {"Anand": (3, 3, 2, 3.0, 0, 0, 1)}
    finally:
        upgraded.close()


@pytest.mark.parametrize("seed", [7, 11])
def test_a_random_sequence_of_changes_keeps_the_rollup_exact(
    two_providers: Store, seed: int
) -> None:
    """Creations, marks, corrections, moves, deletions and undos in a random order: after
    each one the rollup is what counting the deliverables gives."""
    store, rng = two_providers, random.Random(seed)
    days = [date(2025, 5, 28) + timedelta(days=i) for i in range(8)]
    d = m.Deliverable.__table__  # type: ignore[attr-defined]

    def any_deliverable() -> dict[str, Any] | None:
        with store.read() as conn:
            ids = list(conn.execute(select(d.c.id).order_by(d.c.id)).scalars())
        return records.get(store, "deliverable", rng.choice(ids)) if ids else None

    def create(step: int) -> None:
        status = rng.choice(sorted(DATES_KEPT))
        values: dict[str, Any] = {"status": status, "quality_score": rng.choice([None, 2, 4])}
        if "submitted_date" in DATES_KEPT[status]:
            values["submitted_date"] = rng.choice(days)
        if "accepted_date" in DATES_KEPT[status]:
            values["accepted_date"] = values["submitted_date"] + timedelta(days=1)
        make.deliverable(store, f"D{step}", rng.choice(["ENG-A", "ENG-B"]), **values)

    def change(record: dict[str, Any]) -> None:
        what = rng.choice(["mark", "mark", "submitted", "move"])
        if what == "mark":
            status = rng.choice(sorted(DATES_KEPT))
            changes = mark_changes(record, status, rng.choice(days), rng.choice([None, 3]))
        elif what == "submitted":
            changes = {"submitted_date": rng.choice(days)}
        else:
            changes = {"contract": "ENG-B" if record["contract"] == "ENG-A" else "ENG-A"}
        writes.update(store, "deliverable", record["id"], changes, version=record["version"])

    for step in range(30):
        record = any_deliverable()
        action = rng.choice(["create", "change", "change", "delete", "undo", "contract"])
        try:
            if action == "create" or record is None:
                create(step)
            elif action == "change":
                change(record)
            elif action == "delete":
                writes.delete(store, "deliverable", record["id"], version=record["version"])
            elif action == "undo":
                undo.undo_last(store)
            else:
                owner = rng.choice(["Anand", "Baltic"])
                update(store, "contract", {"code": rng.choice(["ENG-A", "ENG-B"])}, provider=owner)
        except (ValidationError, UndoError):
            pass  # a refused write or undo: nothing changed, and that must hold too
        exact(store)
