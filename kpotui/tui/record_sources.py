"""The :class:`PageSource` of every record table: keyset pages from the listing service.

Sorting, filtering and counting happen in the database; a page is ``limit`` records
formatted into cells. Every method blocks and is called from the table's worker thread.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from kpotui.services import listing
from kpotui.services.clock import today
from kpotui.services.flags import row_flags
from kpotui.services.horizons import firm_horizons
from kpotui.services.listing import ListFilter
from kpotui.tui.columns import COLUMNS, EXTRAS, Col, RowContext, filtered_fields, row_style
from kpotui.tui.database import AppDatabase
from kpotui.tui.widgets.virtual_table import END, Cursor, Query, Row


class RecordSource:
    """Rows of one kind of record, narrowed by a base filter the screen sets."""

    def __init__(
        self, database: AppDatabase, kind: str, *, base: ListFilter | None = None, hide: str = ""
    ) -> None:
        self.database = database
        self.kind = kind
        self.base = base or ListFilter()
        """The screen's filter (filter bar, parent record); the typed text is added to it."""
        self.columns: Sequence[Col] = [c for c in COLUMNS[kind] if c.key != hide]
        self._sort_fields = {c.key: c.sort for c in self.columns}
        self._text_fields = filtered_fields(kind, self.columns)
        self._context = RowContext(today())
        self._extra: Mapping[str, Any] | None = None

    def sort_field(self, query: Query) -> str | None:
        """The field ``query`` sorts by (None: the kind's default order)."""
        return self._sort_fields.get(query.sort or "")

    def _args(self, query: Query) -> dict[str, Any]:
        sort = self.sort_field(query)
        return {
            "flt": self._filter(query),
            "sort": sort,
            "descending": query.descending if sort else None,
        }

    def forget_extras(self) -> None:
        """The data changed: work the per-kind figures out again on the next page."""
        self._extra = None

    def _filter(self, query: Query) -> ListFilter:
        """The screen's filter and the typed text, looked for in the columns shown."""
        return replace(self.base, text=query.filter, text_fields=self._text_fields)

    def count(self, query: Query) -> int:
        return listing.count(self.database.store(), self.kind, self._filter(query))

    def page(
        self, query: Query, *, after: Cursor | None, before: Cursor | None, limit: int
    ) -> list[Row]:
        args = self._args(query)
        store = self.database.store()
        if self._extra is None:  # once per load, not per key typed in the filter
            self._extra = EXTRAS[self.kind](store) if self.kind in EXTRAS else {}
            self._context = RowContext(today(), self._extra, firm_horizons(store))
        records = listing.page(
            store,
            self.kind,
            after=after,
            before=listing.END if before == END else before,
            limit=limit,
            **args,
        )
        context = self._context
        return [
            Row(
                id=record["id"],
                cursor=listing.cursor_of(record, args["sort"], self.kind),
                cells=tuple(col.cell(record, context) for col in self.columns),
                style=row_style(row_flags(self.kind, record, context.today, context.horizons)),
            )
            for record in records
        ]

    def seek(self, query: Query, index: int) -> Cursor | None:
        return listing.seek(self.database.store(), self.kind, index, **self._args(query))
