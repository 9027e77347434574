"""The command palette finds records: a name, code or title opens that record.

The database answers each keystroke (:func:`kpotui.services.find_records.find_records`,
in a thread: the palette stays responsive), so the palette finds any of 200,000
deliverables without loading a list.
"""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import Hit, Hits, Provider
from textual.markup import escape

from kpotui.services.find_records import Found, find_records
from kpotui.text import visible
from kpotui.tui.database import database_of
from kpotui.tui.found import found_line, kind_label
from kpotui.tui.messages import OpenRecord

PER_KIND = 5


def _score(found: Found, query: str) -> float:
    """Above a command's fuzzy score for a record named exactly, below it otherwise."""
    text, typed = found.text.lower(), query.strip().lower()
    if text == typed:
        return 1.0
    return 0.6 if text.startswith(typed) else 0.3


class RecordsProvider(Provider):
    """Hits for records of every kind whose name, code or title matches what is typed."""

    async def search(self, query: str) -> Hits:
        database = database_of(self.screen)
        if not query.strip() or not database.is_open:
            return
        found = await asyncio.to_thread(
            find_records, database.store(), query, limit=PER_KIND, everywhere=False
        )
        for record in found:
            line = found_line(record, query)
            line.append(f"  {kind_label(record.kind)}", style="italic")
            yield Hit(  # the palette reads help as markup: escaped
                _score(record, query),
                line,
                partial(self.app.post_message, OpenRecord(record.kind, record.id)),
                text=record.text,
                help=escape(visible(record.snippet)) if record.snippet else None,
            )
