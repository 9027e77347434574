"""Creating, editing and deleting through the forms; conflicts; read-only mode."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Input, Select

from kpotui.services import records, writes
from kpotui.store import open_store
from kpotui.tui.app import KpoApp
from kpotui.tui.dialogs.confirm import ConfirmDialog
from kpotui.tui.dialogs.conflict import ConflictDialog
from kpotui.tui.dialogs.record_form import RecordForm
from kpotui.tui.widgets.field_row import FieldRow
from tests.tui.conftest import AT_SCALE, settle
from tests.tui.helpers import (
    choose,
    move_to,
    notices,
    screen_text,
    table,
    type_in,
    type_keys,
)


def stored(db: Path, kind: str, key: dict[str, str]) -> dict[str, object] | None:
    store = open_store(str(db))
    try:
        return records.find(store, kind, key)
    finally:
        store.close()


def field_row(form: RecordForm, name: str) -> FieldRow:
    return next(row for row in form.query(FieldRow) if row.spec.name == name)


@AT_SCALE
async def test_create_edit_and_delete_a_contract_through_the_form(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        count = table(app).row_count
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        await type_in(pilot, "code", "ENG-2025-010")
        await type_in(pilot, "title", "Earnings call transcripts - pilot")
        await type_in(pilot, "provider", "Wisła Research Partners sp. z o.o.")
        await choose(pilot, "service_line", "content")
        await type_in(pilot, "start_date", "2025-09-01")
        await type_in(pilot, "end_date", "2025-08-01")
        await type_in(pilot, "value", "48,000")
        await type_in(pilot, "currency", "eur")
        assert form.query_one("#field-service_line", Select).value == "content"
        await pilot.press("ctrl+s")
        await settle(pilot)

        # The service's cross-field rule, shown next to the field; nothing saved.
        assert app.screen is form
        assert "before the start date (2025-09-01)" in str(field_row(form, "end_date").error)
        assert stored(firm_db, "contract", {"code": "ENG-2025-010"}) is None

        await type_in(pilot, "end_date", "2026-08-31")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RecordForm)
        created = stored(firm_db, "contract", {"code": "ENG-2025-010"})
        assert created is not None
        assert created["value"] == 48000 and created["currency"] == "EUR"
        assert table(app).row_count == count + 1

        await move_to(pilot, "code", "ENG-2025-010")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, RecordForm)
        await type_in(pilot, "title", "Earnings call transcripts")
        await pilot.press("ctrl+s")
        await settle(pilot)
        edited = stored(firm_db, "contract", {"code": "ENG-2025-010"})
        assert edited is not None and edited["title"] == "Earnings call transcripts"
        assert edited["version"] == 2

        await move_to(pilot, "code", "ENG-2025-010")
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert stored(firm_db, "contract", {"code": "ENG-2025-010"}) is None
        assert table(app).row_count == count


async def test_a_bad_value_is_flagged_as_it_is_typed(make_app: Callable[..., KpoApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        await type_keys(pilot, "start_date", "2025-02-30")  # the one test that really types
        row = field_row(form, "start_date")
        assert row.error is not None and "not a day in February 2025" in row.error
        assert row.has_class("-invalid")
        await type_keys(pilot, "start_date", "2025-02-28")
        assert row.error is None


@AT_SCALE
async def test_delete_refused_while_referenced_says_why(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await move_to(pilot, "code", "ENG-2023-004")
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        refusal = [n for n in notices(app) if n.startswith("Not deleted")]
        assert refusal and "referenced by" in refusal[0] and "deliverables" in refusal[0]
        assert stored(firm_db, "contract", {"code": "ENG-2023-004"}) is not None


@AT_SCALE
async def test_a_save_after_someone_else_changed_the_record_shows_theirs(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        await move_to(pilot, "code", "ENG-2025-004")
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        await type_in(pilot, "title", "Mine")

        store = open_store(str(firm_db))  # someone else, behind the app's back
        current = records.find(store, "contract", {"code": "ENG-2025-004"})
        assert current is not None
        writes.update(
            store, "contract", current["id"], {"title": "Theirs"}, version=current["version"]
        )
        store.close()

        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        assert dialog.theirs["title"] == "Theirs"
        shown = screen_text(app)
        assert "Theirs" in shown and "Mine" in shown
        saved = stored(firm_db, "contract", {"code": "ENG-2025-004"})
        assert saved is not None and saved["title"] == "Theirs"  # nothing overwritten

        await pilot.press("r")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#field-title", Input).value == "Theirs"
        await pilot.press("escape")  # nothing changed since the reload: no question
        await settle(pilot)
        assert not isinstance(app.screen, RecordForm)


@AT_SCALE
async def test_read_only_offers_no_edits_and_says_it_is_read_only(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")
        await settle(pilot)
        offered = [key.description for key in app.screen.query("FooterKey")]
        assert "Filter" in offered and not {"New", "Edit", "Delete"} & set(offered)
        for key in ("e", "n", "delete"):
            await pilot.press(key)
            await settle(pilot)
            assert type(app.screen).__name__ == "ContractsScreen"  # no form opens
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert type(app.screen).__name__ == "ContractDetailScreen"
        assert "Edit" not in [key.description for key in app.screen.query("FooterKey")]
        bar = app.screen.query_one("NavBar")
        drawn = bar.render()
        assert str(drawn).rstrip().endswith("read-only")  # and it fits: nothing cut off
        assert drawn.cell_length <= bar.size.width  # type: ignore[union-attr]


async def test_saving_a_case_variant_of_a_name_names_the_existing_record(
    make_app: Callable[..., KpoApp], firm_db: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("6")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        await type_in(pilot, "name", " wisła research partners SP. Z O.O. ")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert str(field_row(form, "name").error) == (
            "provider 'wisła research partners SP. Z O.O.' clashes with existing "
            "'Wisła Research Partners sp. z o.o.' (names are unique ignoring case)"
        )
        found = stored(firm_db, "provider", {"name": "wisła research partners SP. Z O.O."})
        assert found is not None  # a lookup ignores case: it is the existing one, unchanged
        assert (found["name"], found["version"]) == ("Wisła Research Partners sp. z o.o.", 1)
