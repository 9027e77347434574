"""Tests of the virtual table over an in-memory keyset source of 200,000 rows."""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.events import MouseScrollDown
from textual.message import Message
from textual.pilot import Pilot

from kpotui.tui.widgets.virtual_table import (
    END,
    Column,
    Cursor,
    Query,
    Row,
    VirtualTable,
)

PAGE = 100
"""The table's page size in these tests."""
BODY = 23
"""Rows on screen at 80x24: one line is the header."""

COLUMNS = [
    Column("id", "ID", 8, "right"),
    Column("name", "Name", 20),
    Column("amount", "Amount", 10, "right"),
]


@dataclass(frozen=True)
class Record:
    """One fake database row."""

    id: int
    name: str
    amount: int


@dataclass(frozen=True)
class Call:
    """One call the table made to the source."""

    method: str
    query: Query
    after: Cursor | None = None
    before: Cursor | None = None
    limit: int | None = None
    index: int | None = None
    returned: int = 0


@dataclass
class FakeSource:
    """A keyset :class:`PageSource` over a Python list, recording every call.

    Each ordering is sorted once by (sort value, id) and searched with ``bisect``, the way
    an index serves ``WHERE (sort, id) > cursor ORDER BY sort, id LIMIT n``.
    """

    records: list[Record] = field(repr=False)
    calls: list[Call] = field(default_factory=list)
    _orders: dict[tuple[str, str], tuple[list[Record], list[Cursor]]] = field(default_factory=dict)

    def _ordered(self, query: Query) -> tuple[list[Record], list[Cursor]]:
        """Matching records in ascending (sort value, id) order, and their keys."""
        sort = query.sort or "id"
        key = (sort, query.filter)
        if key not in self._orders:
            matching = [r for r in self.records if query.filter in r.name]
            matching.sort(key=lambda r: (getattr(r, sort), r.id))
            self._orders[key] = (matching, [(getattr(r, sort), r.id) for r in matching])
        return self._orders[key]

    def _row(self, query: Query, position: int) -> Row:
        """The row at display ``position``."""
        records, keys = self._ordered(query)
        index = len(records) - 1 - position if query.descending else position
        record = records[index]
        return Row(
            id=record.id,
            cursor=keys[index],
            cells=(str(record.id), record.name, f"{record.amount:,}"),
            style="red" if record.id % 10 == 0 else "",
        )

    def _first_after(self, query: Query, cursor: Cursor) -> int:
        """Display position of the first row strictly after ``cursor``."""
        _, keys = self._ordered(query)
        if query.descending:
            return len(keys) - bisect.bisect_left(keys, cursor)
        return bisect.bisect_right(keys, cursor)

    def _first_at(self, query: Query, cursor: Cursor) -> int:
        """Display position just past the rows strictly before ``cursor``."""
        _, keys = self._ordered(query)
        if query.descending:
            return len(keys) - bisect.bisect_right(keys, cursor)
        return bisect.bisect_left(keys, cursor)

    def count(self, query: Query) -> int:
        total = len(self._ordered(query)[0])
        self.calls.append(Call("count", query, returned=total))
        return total

    def page(
        self, query: Query, *, after: Cursor | None, before: Cursor | None, limit: int
    ) -> list[Row]:
        total = len(self._ordered(query)[0])
        if before == END:
            start, stop = max(0, total - limit), total
        elif before is not None:
            stop = self._first_at(query, before)
            start = max(0, stop - limit)
        else:
            start = 0 if after is None else self._first_after(query, after)
            stop = min(total, start + limit)
        rows = [self._row(query, position) for position in range(start, stop)]
        self.calls.append(Call("page", query, after, before, limit, returned=len(rows)))
        return rows

    def seek(self, query: Query, index: int) -> Cursor | None:
        self.calls.append(Call("seek", query, index=index))
        return None if index == 0 else self._row(query, index - 1).cursor

    def update(self, record: Record) -> None:
        """Replace the record with the same id, as an edit would."""
        self.records = [record if r.id == record.id else r for r in self.records]
        self._orders.clear()

    def called(self, method: str) -> list[Call]:
        """The calls of one method."""
        return [call for call in self.calls if call.method == method]


class FailingSource(FakeSource):
    """A source whose database is gone."""

    def count(self, query: Query) -> int:
        raise RuntimeError("database is locked")

    def page(
        self, query: Query, *, after: Cursor | None, before: Cursor | None, limit: int
    ) -> list[Row]:
        raise RuntimeError("database is locked")


class SlowCount(FakeSource):
    """A source whose count waits until the test lets it go (a count reads every row)."""

    def __init__(self, records: list[Record]) -> None:
        super().__init__(records)
        self.release = threading.Event()

    def count(self, query: Query) -> int:
        self.release.wait(timeout=30)
        return super().count(query)


def make_records(n: int) -> list[Record]:
    """``n`` records; amounts repeat, so ordering by amount relies on the id tie-break."""
    return [Record(i, f"Deliverable {i:06d}", (i * 7919) % 1000) for i in range(1, n + 1)]


@pytest.fixture(scope="module")
def records() -> list[Record]:
    return make_records(200_000)


@pytest.fixture
def source(records: list[Record]) -> FakeSource:
    return FakeSource(list(records))


class TableApp(App[None]):
    """A screen with nothing but the table; it keeps the messages the table posts."""

    def __init__(self, source: Any, **table_options: Any) -> None:
        super().__init__()
        self.source = source
        self.table_options = table_options
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        options = {"page_size": PAGE, **self.table_options}
        yield VirtualTable(COLUMNS, self.source, id="table", **options)

    def on_virtual_table_row_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        self.messages.append(event)

    def on_virtual_table_row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.messages.append(event)

    def on_virtual_table_loaded(self, event: VirtualTable.Loaded) -> None:
        self.messages.append(event)

    def on_virtual_table_load_failed(self, event: VirtualTable.LoadFailed) -> None:
        self.messages.append(event)

    def received(self, kind: type[Message]) -> list[Any]:
        return [message for message in self.messages if isinstance(message, kind)]


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the table has no source call running and nothing left to fetch."""
    quiet = 0
    for _ in range(100):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        quiet = quiet + 1 if not pilot.app.workers else 0
        if quiet == 2:
            return
    raise AssertionError("the table kept fetching")


def table_of(pilot: Pilot[None]) -> VirtualTable:
    return pilot.app.query_one("#table", VirtualTable)


def screen_lines(table: VirtualTable) -> list[str]:
    """The text the table draws, line by line."""
    return [table.render_line(y).text for y in range(table.scrollable_content_region.height)]


def ids_on_screen(table: VirtualTable) -> list[int]:
    """The record ids drawn, top to bottom (placeholders are skipped)."""
    return [int(line.split()[0]) for line in screen_lines(table)[1:] if line.strip(" …")]


def assert_paged(source: FakeSource) -> None:
    """No call asked for, or returned, more than one page."""
    for call in source.calls:
        if call.method == "page":
            assert call.limit is not None and call.limit <= PAGE
            assert call.returned <= PAGE


async def test_first_screen_of_200k_rows_reads_one_page(source: FakeSource) -> None:
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(pilot)

        assert [c.method for c in source.calls] == ["page", "count"]  # rows drawn first
        assert source.calls[0].after is None and source.calls[0].before is None
        assert_paged(source)
        assert table.row_count == 200_000
        assert table.virtual_size.height == 200_001
        assert [m.count for m in app.received(VirtualTable.Loaded)] == [200_000]

        lines = screen_lines(table)
        assert lines[0].split() == ["ID", "Name", "Amount"]
        assert ids_on_screen(table) == list(range(1, BODY + 1))
        assert "Deliverable 000001" in lines[1]
        assert table.current_row is not None and table.current_row.id == 1
        assert [m.row.id for m in app.received(VirtualTable.RowHighlighted)] == [1]


async def test_a_new_query_draws_its_rows_while_it_is_counted(
    records: list[Record],
) -> None:
    source = SlowCount(list(records))
    source.release.set()
    expected = [r.id for r in records if "7" in r.name]
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        source.release.clear()
        table.set_query(Query(filter="7"))
        for _ in range(3000):  # until the new query's first page is in (old rows paint until then)
            await pilot.pause(0.01)
            if table.current_row is not None:
                break
        assert ids_on_screen(table) == expected[:BODY]  # drawn, the count still running
        assert source.called("count")[-1].query.filter == ""
        assert len(app.received(VirtualTable.Loaded)) == 1

        source.release.set()
        await settle(pilot)
        assert source.called("count")[-1].query.filter == "7"
        assert table.row_count == len(expected) == app.received(VirtualTable.Loaded)[-1].count
        assert table.virtual_size.height == len(expected) + 1
        assert len(source.called("page")) == 2  # the first page was not fetched again
        await pilot.press("end")
        await settle(pilot)
        assert table.current_row is not None and table.current_row.id == expected[-1]


async def test_a_short_first_page_is_the_count() -> None:
    source = FakeSource(make_records(150))
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        before = len(source.calls)
        table.set_query(Query(filter="Deliverable 0001"))  # 000100 to 000150: 51 rows
        await settle(pilot)
        assert [c.method for c in source.calls[before:]] == ["page"]
        matching = len([r for r in source.records if "Deliverable 0001" in r.name])
        assert table.row_count == matching == app.received(VirtualTable.Loaded)[-1].count


async def test_down_moves_the_highlight(source: FakeSource) -> None:
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        await pilot.press("down", "down")
        await settle(pilot)

        assert table.cursor_index == 2
        assert table.current_row is not None and table.current_row.id == 3
        assert [m.row.id for m in app.received(VirtualTable.RowHighlighted)] == [1, 2, 3]
        cursor = table.get_component_rich_style("virtual-table--cursor").bgcolor
        backgrounds = [{s.style.bgcolor for s in table.render_line(y) if s.style} for y in (2, 3)]
        assert cursor not in backgrounds[0] and cursor in backgrounds[1]
        await pilot.press("up")
        assert table.current_row is not None and table.current_row.id == 2


async def test_pagedown_scrolls_at_once_and_pages_by_keyset(source: FakeSource) -> None:
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        await pilot.press("pagedown")
        assert table.scroll_offset.y == BODY  # no animation to wait for
        assert not app.animator.is_being_animated(table, "scroll_y")
        await pilot.press(*["pagedown"] * 4)
        await settle(pilot)

        assert table.cursor_index == 5 * BODY
        assert table.current_row is not None and table.current_row.id == 5 * BODY + 1
        assert ids_on_screen(table) == list(range(5 * BODY + 1, 6 * BODY + 1))
        assert source.called("seek") == []
        assert_paged(source)
        # The second page is keyed on the last row of the first: (id, id) of row 100.
        assert source.called("page")[1].after == (100, 100)
        assert len(source.called("page")) <= 3

        await pilot.press("pageup")
        await settle(pilot)
        assert table.cursor_index == 4 * BODY
        assert table.scroll_offset.y == 4 * BODY


async def test_end_fetches_the_last_page_and_home_comes_back(source: FakeSource) -> None:
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        await pilot.press("end")
        await settle(pilot)

        assert table.current_row is not None and table.current_row.id == 200_000
        assert ids_on_screen(table) == list(range(200_000 - BODY + 1, 200_001))
        assert table.scroll_offset.y == table.max_scroll_y == 200_000 - BODY
        pages = source.called("page")
        assert pages[-1].before == END and len(pages) == 2
        assert source.called("seek") == []

        calls = len(source.calls)
        await pilot.press("home")
        await settle(pilot)
        assert table.current_row is not None and table.current_row.id == 1
        assert ids_on_screen(table)[:3] == [1, 2, 3]
        assert len(source.calls) == calls  # the first page was still in the cache
        assert_paged(source)


async def test_sort_toggles_between_ascending_and_descending(
    source: FakeSource, records: list[Record]
) -> None:
    ascending = sorted(records, key=lambda r: (r.amount, r.id))
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(pilot)

        table.sort_by("amount")
        await settle(pilot)
        assert "Amount ▲" in screen_lines(table)[0]
        assert table.current_query == Query(sort="amount")
        assert ids_on_screen(table) == [r.id for r in ascending[:BODY]]
        await pilot.press(*["pagedown"] * 6)  # past the first page, through tied amounts
        await settle(pilot)
        assert ids_on_screen(table) == [r.id for r in ascending[6 * BODY : 7 * BODY]]
        assert table.current_row is not None
        assert table.current_row.id == ascending[6 * BODY].id

        table.sort_by("amount")
        await settle(pilot)
        assert "Amount ▼" in screen_lines(table)[0]
        assert table.cursor_index == 0 and table.scroll_offset.y == 0
        assert ids_on_screen(table) == [r.id for r in ascending[::-1][:BODY]]
        await pilot.press("end")
        await settle(pilot)
        assert table.current_row is not None and table.current_row.id == ascending[0].id
        assert source.called("seek") == []
        assert_paged(source)


async def test_clicking_a_header_sorts_by_that_column(source: FakeSource) -> None:
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.click("#table", offset=(36, 0))  # inside "Amount"
        await settle(pilot)
        assert table_of(pilot).current_query == Query(sort="amount")


async def test_set_query_filters_and_goes_to_the_top(
    source: FakeSource, records: list[Record]
) -> None:
    expected = [r.id for r in records if "0001" in r.name]
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        await pilot.press("pagedown", "down")
        await settle(pilot)

        table.set_query(Query(filter="0001"))
        await settle(pilot)
        assert table.row_count == len(expected)
        assert app.received(VirtualTable.Loaded)[-1].count == len(expected)
        assert table.cursor_index == 0 and table.scroll_offset.y == 0
        assert ids_on_screen(table) == expected[:BODY]
        assert all("0001" in line for line in screen_lines(table)[1:])
        assert table.current_row is not None and table.current_row.id == expected[0]


async def test_typing_a_filter_shows_only_the_last_query(source: FakeSource) -> None:
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        for text in ("1", "12", "123", "1234"):
            table.set_query(Query(filter=text))
        await settle(pilot)

        assert table.current_query.filter == "1234"
        assert ids_on_screen(table)[0] == 1234
        assert all("1234" in line for line in screen_lines(table)[1:] if line.strip())
        assert app.received(VirtualTable.Loaded)[-1].count == table.row_count


async def test_refresh_data_keeps_the_position(source: FakeSource) -> None:
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        await pilot.press(*["pagedown"] * 6, "down", "down")
        await settle(pilot)
        index, top = table.cursor_index, table.scroll_offset.y
        assert (index, top) == (6 * BODY + 2, 6 * BODY)
        edited = source.records[index]
        source.update(replace(edited, name="Renamed deliverable"))

        table.refresh_data()
        await settle(pilot)
        assert (table.cursor_index, table.scroll_offset.y) == (index, top)
        assert table.current_row is not None and table.current_row.id == edited.id
        assert "Renamed deliverable" in screen_lines(table)[index - top + 1]
        assert app.received(VirtualTable.RowHighlighted)[-1].row.cells[1] == ("Renamed deliverable")
        assert len(source.called("count")) == 2
        assert_paged(source)


async def test_refresh_data_follows_the_record_when_rows_come_above_it(
    source: FakeSource,
) -> None:
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        await pilot.press(*["pagedown"] * 6, "down", "down")
        await settle(pilot)
        index, top = table.cursor_index, table.scroll_offset.y
        kept = table.current_row
        assert kept is not None
        source.records[:0] = [Record(-2, "New", 1), Record(-1, "Newer", 2)]  # sort first
        source.update(source.records[0])

        table.refresh_data()
        await settle(pilot)
        assert table.current_row is not None and table.current_row.id == kept.id
        assert (table.cursor_index, table.scroll_offset.y) == (index + 2, top + 2)


async def test_refresh_data_keeps_the_index_when_the_record_went(source: FakeSource) -> None:
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        await pilot.press(*["pagedown"] * 2, "down")
        await settle(pilot)
        index = table.cursor_index
        gone = table.current_row
        assert gone is not None
        source.records = [r for r in source.records if r.id != gone.id]
        source.update(source.records[0])

        table.refresh_data()
        await settle(pilot)
        assert table.cursor_index == index
        assert table.current_row is not None and table.current_row.id != gone.id


async def test_enter_posts_row_selected(source: FakeSource) -> None:
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        selected = app.received(VirtualTable.RowSelected)
        assert [m.row.id for m in selected] == [2]
        assert selected[0].control is table_of(pilot)


async def test_scrollbar_jump_seeks_then_pages(source: FakeSource) -> None:
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        before = len(source.calls)
        table.scroll_to(y=100_000)  # what dragging the scrollbar handle does
        await settle(pilot)

        assert table.scroll_offset.y == 100_000
        assert ids_on_screen(table) == list(range(100_001, 100_001 + BODY))
        assert len(source.called("seek")) == 1
        assert len(source.calls) - before <= 3
        assert_paged(source)

        assert table.cursor_index == 0  # scrolling leaves the cursor where it was
        await pilot.press("down")
        assert table.cursor_index == 1 and table.scroll_offset.y == 1


async def test_mouse_wheel_scrolls_without_animation(source: FakeSource) -> None:
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        for _ in range(3):
            wheel = MouseScrollDown(table, 5, 5, 0, 1, 0, shift=False, meta=False, ctrl=False)
            table.post_message(wheel)
        await pilot.pause()
        assert table.scroll_offset.y > 0
        assert not app.animator.is_being_animated(table, "scroll_y")
        await settle(pilot)
        assert ids_on_screen(table)[0] == table.scroll_offset.y + 1
        assert table.cursor_index == 0


async def test_a_cache_smaller_than_the_screen_still_settles(source: FakeSource) -> None:
    app = TableApp(source, page_size=10, cache_pages=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        assert ids_on_screen(table) == list(range(1, BODY + 1))
        await pilot.press(*["pagedown"] * 3)
        await settle(pilot)
        assert ids_on_screen(table) == list(range(3 * BODY + 1, 4 * BODY + 1))
        assert source.called("seek") == []
        assert all(call.limit == 10 for call in source.called("page"))


async def test_a_short_table_and_an_empty_one() -> None:
    app = TableApp(FakeSource(make_records(5)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = table_of(pilot)
        assert ids_on_screen(table) == [1, 2, 3, 4, 5]
        await pilot.press("pagedown")
        assert table.current_row is not None and table.current_row.id == 5
        await pilot.press("pageup")
        assert table.current_row is not None and table.current_row.id == 1

        table.set_query(Query(filter="nothing matches"))
        await settle(pilot)
        assert table.row_count == 0 and table.current_row is None
        assert screen_lines(table)[1].strip() == ""
        await pilot.press("down", "end", "enter")
        assert app.received(VirtualTable.RowSelected) == []


async def test_a_failing_source_posts_load_failed() -> None:
    app = TableApp(FailingSource(make_records(5)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        failures = app.received(VirtualTable.LoadFailed)
        assert len(failures) == 1 and "locked" in str(failures[0].error)
        assert table_of(pilot).row_count == 0


def test_columns_must_have_distinct_keys(source: FakeSource) -> None:
    with pytest.raises(ValueError):
        VirtualTable([COLUMNS[0], COLUMNS[0]], source)
