"""Full-text search over notes: SQLite FTS5, or PostgreSQL's text search.

Every word the user types must occur (as a word prefix) in the title, body or tags.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import ColumnElement, Select, false, literal_column, select, text

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 16

PG_NOTE_DOCUMENT = (
    "to_tsvector('simple', coalesce(note.title, '') || ' ' || coalesce(note.body, '')"
    " || ' ' || coalesce(note.tags::text, ''))"
)
"""The expression PostgreSQL's GIN index on notes is built on (migration 0002)."""


def words(query: str) -> list[str]:
    return _WORD.findall(query.lower())[:MAX_WORDS]


def note_match(conn: Any, note_id: Any, query: str) -> ColumnElement[bool]:
    """A condition true for notes matching every word of ``query``."""
    terms = words(query)
    if not terms:
        return false()
    if conn.dialect.name == "postgresql":
        tsquery = " & ".join(f"{term}:*" for term in terms)
        return literal_column(PG_NOTE_DOCUMENT).op("@@")(
            text("to_tsquery('simple', :kpotui_tsquery)").bindparams(kpotui_tsquery=tsquery)
        )
    fts_query = " ".join(f'"{term}"*' for term in terms)
    matching: Select[Any] = (
        select(literal_column("rowid"))
        .select_from(text("note_fts"))
        .where(text("note_fts MATCH :kpotui_fts").bindparams(kpotui_fts=fts_query))
    )
    return note_id.in_(matching)
