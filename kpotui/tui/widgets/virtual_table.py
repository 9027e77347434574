"""A table that shows any number of rows by reading only the page on screen.

Textual's ``DataTable`` holds every row in memory and measures every cell before its first
paint; on 100,000 rows that is tens of seconds and hundreds of megabytes. ``VirtualTable``
holds a handful of pages instead:

* the rows come from a :class:`PageSource`, which sorts and filters in the database and pages
  by *keyset* (``WHERE (sort, id) > cursor ... LIMIT n``), never by ``OFFSET``;
* the source's ``count`` sizes the scroll area; a new query fetches and draws its first
  page before it counts (a count reads every matching row: on 200,000 rows it takes
  longer than the page), and a short first page is the count;
* column widths are declared by the caller (the schema), never measured from cells; the
  columns that fit the width show, the least important dropping first (:func:`fit_columns`);
* pages live in a small LRU cache, dropped whenever the query or the data changes;
* every source call is blocking and runs in a thread worker, one call at a time; rows not yet
  fetched paint as placeholders meanwhile;
* scrolling never animates.

The data source contract (:class:`Column`, :class:`Row`, :class:`Query`, :class:`PageSource`
and :data:`END`) is plain Python so the store layer can implement it without importing
Textual.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from itertools import chain
from typing import Any, ClassVar, Literal, Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import Worker, WorkerState

from kpotui.text import on_screen

Cursor = tuple[Any, ...]
"""An opaque keyset position: the sort value(s) of a row followed by its id."""

END: Cursor = ("__end__",)
"""Pass as ``before=END`` to :meth:`PageSource.page` to get the last page."""


@dataclass(frozen=True)
class Column:
    """One column of the table, as declared by the schema."""

    key: str
    """Field name; also the sort key handed to the source in :attr:`Query.sort`."""
    label: str
    """Header text."""
    width: int
    """Fixed width in cells; longer values are cut with an ellipsis."""
    align: Literal["left", "right"] = "left"
    """Where the text sits inside the column."""
    priority: int = 0
    """0: always shown; otherwise, when the columns do not fit, the highest drops first."""
    group: str = ""
    """Columns naming the same group show or drop together (a value and its currency)."""
    grow: bool = False
    """Takes the width the shown columns leave (``width`` is then its least)."""


PADDING = 2
"""Cells around each column's text (one each side)."""


def fit_columns(columns: Sequence[Column], width: int) -> tuple[Column, ...]:
    """The columns to show in ``width`` cells, in their order: those of priority 0, then
    each other column (with its group) by priority, the leftmost first, if it still fits;
    the growing ones then widen into what is left. Priority 0 always shows (the table
    scrolls sideways if it must)."""

    def cells(some: Iterable[Column]) -> int:
        return sum(column.width + PADDING for column in some)

    chosen: set[str] = set()
    for column in sorted(columns, key=lambda c: c.priority):  # stable: leftmost first
        if column.key in chosen:
            continue
        unit = [c for c in columns if c is column or (column.group and c.group == column.group)]
        taken = [c for c in columns if c.key in chosen]
        if column.priority == 0 or cells(taken) + cells(unit) <= width:
            chosen.update(c.key for c in unit)
    shown = [c for c in columns if c.key in chosen]
    growing = [i for i, column in enumerate(shown) if column.grow]
    spare = max(0, width - cells(shown))
    for n, i in enumerate(growing):
        share = spare // len(growing) + (1 if n < spare % len(growing) else 0)
        shown[i] = replace(shown[i], width=shown[i].width + share)
    return tuple(shown)


@dataclass(frozen=True)
class Row:
    """One record as the table shows it."""

    id: int
    """The record id."""
    cursor: Cursor
    """Keyset position of the row in the current ordering, e.g. ``(sort value, id)``."""
    cells: tuple[str, ...]
    """Display text, already formatted, one per column, each on a single line."""
    style: str = ""
    """Optional Rich style for the whole row (``"red"`` for overdue, say)."""


@dataclass(frozen=True)
class Query:
    """What the table asks the source for: an ordering and a filter."""

    sort: str | None = None
    """Column key to sort by; ``None`` keeps the source's default order."""
    descending: bool = False
    """Reverse the ordering."""
    filter: str = ""
    """Incremental filter text; its meaning is up to the source."""


class PageSource(Protocol):
    """Where a :class:`VirtualTable` gets its rows.

    Every method may block (it queries a database). The table calls them from a worker
    thread, never from the event loop, and never two at a time.
    """

    def count(self, query: Query) -> int:
        """Return how many rows match ``query``."""
        ...

    def page(
        self, query: Query, *, after: Cursor | None, before: Cursor | None, limit: int
    ) -> list[Row]:
        """Return at most ``limit`` rows in display order.

        * neither cursor: the first ``limit`` rows;
        * ``after=c``: the rows strictly after cursor ``c``;
        * ``before=c``: the ``limit`` rows strictly before ``c`` (still in display order);
        * ``before=END``: the last ``limit`` rows.
        """
        ...

    def seek(self, query: Query, index: int) -> Cursor | None:
        """Return the cursor of the row just before position ``index`` (``None`` for 0).

        Used only to jump to an arbitrary row (a scrollbar drag); may be slower.
        """
        ...


@dataclass(frozen=True)
class _Plan:
    """How to fetch one page: a keyset anchor and where the page lands.

    ``position`` is the index of the page's first row for ``first`` and ``after`` plans,
    and the index just past its last row for ``before`` and ``end`` plans.
    """

    kind: Literal["first", "after", "before", "end"]
    cursor: Cursor | None
    position: int

    def start(self, fetched: int) -> int:
        """Index of the first of ``fetched`` rows returned for this plan."""
        if self.kind in ("first", "after"):
            return self.position
        return self.position - fetched


@dataclass(frozen=True)
class _Job:
    """One trip to the source, made in a worker thread."""

    generation: int
    query: Query
    count: int | None
    """The known row count, or ``None`` to count first."""
    index: int
    """The row this trip must bring."""
    plan: _Plan | None
    """The page to fetch, or ``None`` to choose one (maybe by ``seek``) in the thread."""
    fetch: bool = True
    """False for a trip that only counts (the rows in view are here already)."""


@dataclass(frozen=True)
class _Result:
    """What a :class:`_Job` brought back."""

    job: _Job
    count: int | None
    """The row count, if this trip counted."""
    plan: _Plan | None
    rows: list[Row]


@dataclass
class _Page:
    """A run of consecutive rows starting at index ``start``."""

    start: int
    rows: list[Row]

    @property
    def end(self) -> int:
        """Index just past the last row."""
        return self.start + len(self.rows)


def _fit(text: str, width: int, align: Literal["left", "right"]) -> str:
    """Cut or pad ``text`` to exactly ``width`` cells, its control characters visible."""
    text = on_screen(text)
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…" if width > 0 else ""
    padding = " " * (width - length)
    return padding + text if align == "right" else text + padding


class _TableMessage(Message):
    """Base of the messages a :class:`VirtualTable` posts."""

    def __init__(self, table: VirtualTable) -> None:
        super().__init__()
        self.table = table
        """The table that posted the message."""

    @property
    def control(self) -> VirtualTable:
        """The table that posted the message (for ``@on(..., "#id")``)."""
        return self.table


class VirtualTable(ScrollView, can_focus=True):
    """A keyboard-driven table over a :class:`PageSource` of any size."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False, id="table.cursor_up"),
        Binding("down", "cursor_down", "Down", show=False, id="table.cursor_down"),
        Binding("pageup", "cursor_page_up", "Page up", show=False, id="table.page_up"),
        Binding("pagedown", "cursor_page_down", "Page down", show=False, id="table.page_down"),
        Binding("home", "cursor_home", "First row", show=False, id="table.home"),
        Binding("end", "cursor_end", "Last row", show=False, id="table.end"),
        Binding("enter", "select_cursor", "Open", id="table.select"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--placeholder",
    }

    DEFAULT_CSS = """
    VirtualTable {
        height: 1fr;
        background: $surface;
        color: $foreground;
        & > .virtual-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .virtual-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .virtual-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .virtual-table--placeholder {
            color: $text-muted;
        }
    }
    """

    class RowHighlighted(_TableMessage):
        """The cursor moved to a row (or the row under it was reloaded)."""

        def __init__(self, table: VirtualTable, row: Row) -> None:
            super().__init__(table)
            self.row = row
            """The highlighted row."""

    class RowSelected(_TableMessage):
        """The user pressed enter on a row."""

        def __init__(self, table: VirtualTable, row: Row) -> None:
            super().__init__(table)
            self.row = row
            """The selected row."""

    class Loaded(_TableMessage):
        """The row count of the current query is known."""

        def __init__(self, table: VirtualTable, count: int) -> None:
            super().__init__(table)
            self.count = count
            """How many rows the query matches."""

    class LoadFailed(_TableMessage):
        """The source raised; the table stops loading until the next query or refresh."""

        def __init__(self, table: VirtualTable, error: BaseException) -> None:
            super().__init__(table)
            self.error = error
            """What the source raised."""

    def __init__(
        self,
        columns: Sequence[Column],
        source: PageSource,
        *,
        query: Query | None = None,
        page_size: int = 100,
        cache_pages: int = 8,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Create a table.

        Args:
            columns: The columns, in display order, with their declared widths.
            source: Where rows come from.
            query: The first query (the source's default order, unfiltered, if omitted).
            page_size: Rows per source call; keep it at least three screens tall.
            cache_pages: Pages kept in the LRU cache.
            name: The widget's name.
            id: The widget's id.
            classes: The widget's CSS classes.
            disabled: Whether the widget starts disabled.
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        keys = [column.key for column in columns]
        if not keys or len(set(keys)) != len(keys):
            raise ValueError("a VirtualTable needs columns with distinct keys")
        if page_size < 1 or cache_pages < 1:
            raise ValueError("page_size and cache_pages must be positive")
        self._columns = tuple(columns)
        self._source = source
        self._query = query or Query()
        self._page_size = page_size
        self._cache_pages = cache_pages
        self._shown = self._columns
        """The columns that fit the width, as wide as they show (see :func:`fit_columns`)."""
        self._shown_cells = tuple(range(len(self._columns)))
        """Where each shown column's text is in :attr:`Row.cells`."""
        self._cursor = 0
        self._count = 0
        """Rows in the scroll area: the last known count, kept while a new one loads."""
        self._generation = 0
        """Bumped by every query or refresh; results of older generations are dropped."""
        self._count_known = False
        self._pages: OrderedDict[Hashable, _Page] = OrderedDict()
        self._stale: OrderedDict[Hashable, _Page] = OrderedDict()
        """Pages of the previous generation, painted until the first fresh page arrives."""
        self._stalled: set[Hashable] = set()
        """Plans that came back without the row they were for (the data changed)."""
        self._failed = False
        self._inflight: tuple[Worker[_Result | None], _Job] | None = None
        self._highlighted: tuple[int, Row] | None = None
        self.empty_text = ""
        """What the first row says when the query matches nothing (how to add a record)."""
        self._kept: int | None = None
        """After a refresh, the id of the record under the cursor, until fresh rows show
        where it is now (see :meth:`_follow_kept`)."""

    # Public API

    @property
    def current_query(self) -> Query:
        """The current query."""
        return self._query

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns, in display order."""
        return self._columns

    @property
    def shown_columns(self) -> tuple[Column, ...]:
        """The columns on screen at the current width, with the widths they show at."""
        return self._shown

    @property
    def row_count(self) -> int:
        """How many rows the query matches (the last known count while one loads)."""
        return self._count

    @property
    def cursor_index(self) -> int:
        """Position of the cursor row in the current ordering."""
        return self._cursor

    @property
    def current_row(self) -> Row | None:
        """The row under the cursor, or ``None`` while it is not loaded."""
        return self._find(self._cursor, self._pages)

    def set_query(self, query: Query) -> None:
        """Show the rows of ``query``: count again, fetch again, cursor to the top."""
        self._query = query
        self._cursor = 0
        self._kept = None
        self._reset()
        self.scroll_to(y=0, animate=False)
        self.refresh()
        self._start_load()

    def sort_by(self, column_key: str) -> None:
        """Sort by a column; sorting again by the same column reverses the order."""
        if column_key not in {column.key for column in self._columns}:
            raise ValueError(f"no column {column_key!r}")
        query = self._query
        descending = not query.descending if query.sort == column_key else False
        self.set_query(Query(sort=column_key, descending=descending, filter=query.filter))

    def refresh_data(self) -> None:
        """Reload after the data changed, the cursor on the record it was on: where that
        record now is if it moved a little (rows came or went above it), else at its index."""
        row = self.current_row
        self._kept = row.id if row is not None else None
        self._reset()
        self.refresh()
        self._start_load()

    # Loading

    def _reset(self) -> None:
        """Forget the count and the cached pages, keeping what is on screen to paint."""
        self._generation += 1
        self._count_known = False
        if self._pages:
            self._stale, self._pages = self._pages, OrderedDict()
        self._stalled.clear()
        self._failed = False

    def _viewport(self) -> tuple[int, int]:
        """The index of the first visible row and how many rows fit."""
        return self.scroll_offset.y, max(1, self.scrollable_content_region.height - 1)

    def _evict(self) -> None:
        """Drop the least recently used pages beyond ``cache_pages``, sparing those near the
        view (so a cache smaller than the screen cannot make the table fetch forever)."""
        top, height = self._viewport()
        for key, page in list(self._pages.items()):
            if len(self._pages) <= self._cache_pages:
                return
            if page.end <= top - height or page.start >= top + 2 * height:
                del self._pages[key]

    @staticmethod
    def _find(index: int, pages: OrderedDict[Hashable, _Page]) -> Row | None:
        """Row ``index`` from ``pages``, marking its page as recently used."""
        for key, page in pages.items():
            if page.start <= index < page.end:
                pages.move_to_end(key)
                return page.rows[index - page.start]
        return None

    def _missing_index(self) -> int | None:
        """The row to fetch next: visible rows first, then a screen below, then above."""
        top, height = self._viewport()
        count = self._count
        visible = range(top, min(count, top + height))
        below = range(top + height, min(count, top + 2 * height))
        above = range(min(top, count) - 1, max(0, top - height) - 1, -1)
        for index in chain(visible, below, above):
            if self._find(index, self._pages) is None:
                return index
        return None

    def _plan(self, index: int) -> _Plan | None:
        """Choose the keyset page that brings row ``index``; ``None`` means seek for it."""
        limit, count = self._page_size, self._count
        if index < limit:
            return _Plan("first", None, 0)
        if index >= count - limit:
            return _Plan("end", END, count)
        for page in self._pages.values():
            if page.end <= index < page.end + limit:
                return _Plan("after", page.rows[-1].cursor, page.end)
            if page.start - limit <= index < page.start:
                return _Plan("before", page.rows[0].cursor, page.start)
        return None

    def _next_job(self) -> _Job | None:
        """What to ask the source for next, if anything."""
        if not self._count_known:
            top, height = self._viewport()
            if top + height <= self._page_size and self._find(0, self._pages) is None:
                # the view is inside the first page: draw it first, count after
                first = _Plan("first", None, 0)
                return _Job(self._generation, self._query, self._count, 0, first)
            above = max(0, top - height)
            fetch = self._find(above, self._pages) is None
            return _Job(self._generation, self._query, None, above, None, fetch)
        index = self._missing_index()
        if index is None:
            return None
        plan = self._plan(index)
        if (plan or ("seek", index)) in self._stalled:
            return None
        return _Job(self._generation, self._query, self._count, index, plan)

    def _start_load(self) -> None:
        """Start the next source call unless one is running (it calls back when done)."""
        if self._inflight is not None or self._failed or not self.is_attached:
            return
        job = self._next_job()
        if job is None:
            return
        worker = self.run_worker(
            partial(self._run_job, job),
            name="virtual-table",
            group="virtual-table",
            thread=True,
            exit_on_error=False,
        )
        self._inflight = (worker, job)

    def _run_job(self, job: _Job) -> _Result | None:
        """Call the source for ``job`` (runs in a worker thread)."""
        if job.generation != self._generation:
            return None
        source, limit = self._source, self._page_size
        count, counted = job.count, None
        if count is None:
            count = counted = source.count(job.query)
        if not job.fetch:
            return _Result(job, counted, None, [])
        plan = job.plan
        if plan is None and count > 0:
            index = min(job.index, count - 1)
            if index < limit:
                plan = _Plan("first", None, 0)
            elif index >= count - limit:
                plan = _Plan("end", END, count)
            else:
                cursor = source.seek(job.query, index)
                plan = (
                    _Plan("after", cursor, index) if cursor is not None else _Plan("first", None, 0)
                )
        rows: list[Row] = []
        if plan is not None:
            after = plan.cursor if plan.kind == "after" else None
            before = plan.cursor if plan.kind in ("before", "end") else None
            rows = source.page(job.query, after=after, before=before, limit=limit)
        return _Result(job, counted, plan, rows)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Take in the result of the running source call and start the next one."""
        if self._inflight is None or event.worker is not self._inflight[0]:
            return
        event.stop()
        worker, job = self._inflight
        if event.state == WorkerState.SUCCESS:
            self._inflight = None
            if worker.result is not None:
                self._apply(worker.result)
            self._start_load()
        elif event.state == WorkerState.ERROR:
            self._inflight = None
            if job.generation == self._generation:
                self._failed = True
                self.post_message(self.LoadFailed(self, worker.error or RuntimeError()))
            else:
                self._start_load()
        elif event.state == WorkerState.CANCELLED:
            self._inflight = None

    def _apply(self, result: _Result) -> None:
        """Store a fetched page (and a new count) if it belongs to the current query."""
        job = result.job
        if job.generation != self._generation:
            return
        self._stale = OrderedDict()
        plan, count = result.plan, result.count
        if count is None and not self._count_known and plan == _Plan("first", None, 0):
            if len(result.rows) < self._page_size:
                count = len(result.rows)  # a short first page holds every row
            elif self._count < len(result.rows):
                self._set_count(len(result.rows))  # at least these, until counted
        if count is not None:
            self._set_count(count)
            self._count_known = True
            self.post_message(self.Loaded(self, self._count))
        if plan is not None and result.rows:
            key = (job.query, plan.kind, plan.cursor)
            self._pages[key] = _Page(plan.start(len(result.rows)), result.rows)
            self._pages.move_to_end(key)
            self._evict()
        if job.index < self._count and self._find(job.index, self._pages) is None:
            self._stalled.add(job.plan or ("seek", job.index))
        if self._kept is not None:
            self._follow_kept(self._kept)
        self.refresh()
        self._post_highlight()

    def _follow_kept(self, record_id: int) -> None:
        """Once fresh rows hold the record the cursor was on, put the cursor back on it,
        scrolled by as much, so it stays on the same line; once the row at the cursor's
        index is back without it (deleted, or moved far), leave the cursor at its index."""
        for page in self._pages.values():
            index = next(
                (page.start + i for i, r in enumerate(page.rows) if r.id == record_id), None
            )
            if index is not None:
                self._kept = None
                if index != self._cursor:
                    self.scroll_to(y=self.scroll_offset.y + index - self._cursor)
                    self._cursor = index
                return
        if self._find(self._cursor, self._pages) is not None:
            self._kept = None

    def _set_count(self, count: int) -> None:
        """Size the scroll area for ``count`` rows, keeping the view and cursor inside."""
        self._count = count
        self.virtual_size = Size(self._total_width, count + 1)
        self.scroll_to(y=self.scroll_offset.y, animate=False)  # clamps to the new size
        self._cursor = max(0, min(self._cursor, count - 1))

    # Cursor and scrolling

    def _post_highlight(self) -> None:
        """Post ``RowHighlighted`` if the row under the cursor is new or changed."""
        row = self.current_row
        if row is not None and self._highlighted != (self._cursor, row):
            self._highlighted = (self._cursor, row)
            self.post_message(self.RowHighlighted(self, row))

    def _move_cursor(self, index: int) -> None:
        """Put the cursor on row ``index`` (clamped) and scroll it into view."""
        if self._count == 0:
            return
        self._kept = None  # a move of the user's own comes first
        self._cursor = max(0, min(index, self._count - 1))
        top, height = self._viewport()
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False)
        elif self._cursor >= top + height:
            self.scroll_to(y=self._cursor - height + 1, animate=False)
        self.refresh()
        self._post_highlight()
        self._start_load()

    def scroll_to(self, x: float | None = None, y: float | None = None, **kwargs: Any) -> None:
        """Scroll to a position at once, whatever ``kwargs`` ask: this table never animates
        (an animated scroll would fetch every page it passes)."""
        kwargs.update(animate=False, immediate=True)
        super().scroll_to(x, y, **kwargs)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Repaint and fetch whatever the new position shows."""
        super().watch_scroll_y(old_value, new_value)
        self._start_load()

    @property
    def _total_width(self) -> int:
        return sum(column.width + PADDING for column in self._shown)

    def _fit_width(self) -> None:
        """Choose the columns for the width there is (the vertical scrollbar's kept)."""
        width = self.size.width - self.styles.scrollbar_size_vertical
        self._shown = fit_columns(self._columns, width)
        keys = [column.key for column in self._columns]
        self._shown_cells = tuple(keys.index(column.key) for column in self._shown)
        self.virtual_size = Size(self._total_width, self._count + 1)

    def on_mount(self) -> None:
        """Start counting and fetching the first page."""
        self._fit_width()
        self._start_load()

    def on_resize(self, event: events.Resize) -> None:
        """Fit the columns, keep the cursor on screen and fetch what a taller screen shows."""
        self._fit_width()
        self.refresh()
        self._move_cursor(self._cursor)

    def on_click(self, event: events.Click) -> None:
        """A click on the header sorts; on a row, moves the cursor; on the cursor row, selects."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            x = offset.x + self.scroll_offset.x
            for column in self._shown:
                if x < column.width + PADDING:
                    self.sort_by(column.key)
                    return
                x -= column.width + PADDING
            return
        index = self.scroll_offset.y + offset.y - 1
        if index == self._cursor:
            self.action_select_cursor()
        elif index < self._count:
            self._move_cursor(index)

    def action_cursor_up(self) -> None:
        """Move the cursor one row up."""
        self._move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        """Move the cursor one row down."""
        self._move_cursor(self._cursor + 1)

    def action_cursor_page_up(self) -> None:
        """Move the cursor and the view one screen up."""
        _, height = self._viewport()
        self.scroll_to(y=self.scroll_offset.y - height, animate=False)
        self._move_cursor(self._cursor - height)

    def action_cursor_page_down(self) -> None:
        """Move the cursor and the view one screen down."""
        _, height = self._viewport()
        self.scroll_to(y=self.scroll_offset.y + height, animate=False)
        self._move_cursor(self._cursor + height)

    def action_cursor_home(self) -> None:
        """Move the cursor to the first row."""
        self._move_cursor(0)

    def action_cursor_end(self) -> None:
        """Move the cursor to the last row."""
        self._move_cursor(self._count - 1)

    def action_select_cursor(self) -> None:
        """Post ``RowSelected`` for the row under the cursor."""
        row = self.current_row
        if row is not None:
            self.post_message(self.RowSelected(self, row))

    # Rendering

    def render_line(self, y: int) -> Strip:
        """Draw line ``y`` of the viewport: the header, a row, or a placeholder."""
        base = self.rich_style
        if y == 0:
            text = "".join(f" {_fit(label, c.width, c.align)} " for c, label in self._labels())
            style = base + self.get_component_rich_style("virtual-table--header")
        else:
            index = self.scroll_offset.y + y - 1
            text, style = self._row_line(index, base)
        strip = Strip([Segment(text, style)], cell_len(text))
        scroll_x, width = self.scroll_offset.x, self.scrollable_content_region.width
        return strip.crop_extend(scroll_x, scroll_x + width, style)

    def _labels(self) -> Iterable[tuple[Column, str]]:
        """Each column with its header text, the sorted one marked ▲ or ▼."""
        for column in self._shown:
            label = column.label
            if column.key == self._query.sort:
                label = f"{label} {'▼' if self._query.descending else '▲'}"
            yield column, label

    def _row_line(self, index: int, base: Style) -> tuple[str, Style]:
        """The text and style of the line showing row ``index``."""
        if index >= self._count:
            if index == 0 and self._count_known and self.empty_text:
                placeholder = self.get_component_rich_style("virtual-table--placeholder")
                return f" {self.empty_text}", base + placeholder
            return "", base
        row = self._find(index, self._pages) or self._find(index, self._stale)
        if row is None:
            return " …", base + self.get_component_rich_style("virtual-table--placeholder")
        cells = row.cells
        text = "".join(
            f" {_fit(cells[i] if i < len(cells) else '', column.width, column.align)} "
            for column, i in zip(self._shown, self._shown_cells, strict=True)
        )
        style = base
        if index == self._cursor:
            style += self.get_component_rich_style("virtual-table--cursor")
        if row.style:
            style += Style.parse(row.style)
        return text, style
