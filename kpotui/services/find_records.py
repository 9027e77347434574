"""Find records of every kind by what people call them: the palette's and global search's query.

Each kind is searched in two steps, both in SQL and both stopping at ``limit`` rows:

1. *prefix*: the kind's name column starts with the query, ignoring case: the range
   ``lower(name) >= q AND lower(name) < q'`` of its folded index, read in order (the
   folded-key indexes of :mod:`kpotui.store.keys`, and migration 0013's for deliverable
   titles and decision summaries, whose keys start with their contract);
2. *anywhere*, only if step 1 found fewer than ``limit`` (see ``everywhere``): any
   searched column holds the query (``LIKE '%q%'``), and for notes every word occurs
   in the title, body or tags (the full-text index, :mod:`kpotui.services.search`).

No step sorts all matches: a one-letter query matches most of 200,000 deliverables, and
keystroke speed needs the first rows the database meets, not all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, or_, select

from kpotui.services import search
from kpotui.services.fields import kind_spec
from kpotui.services.records import table_of
from kpotui.store import Store
from kpotui.store.keys import fold, folded_column

MAX_QUERY = 100
"""Characters of a query looked at; longer queries are cut."""
SNIPPET_CHARS = 70


@dataclass(frozen=True)
class Searched:
    """How one kind is found: its name column (matched by prefix, then anywhere) and
    the others matched anywhere."""

    kind: str
    name: str
    others: tuple[str, ...] = ()


SEARCHED = (
    Searched("contract", "code", ("title",)),
    Searched("provider", "name"),
    Searched("task", "name"),
    Searched("deliverable", "title"),
    Searched("note", "title"),
    Searched("decision", "summary"),
)
"""The kinds found, in the order they are listed."""


@dataclass(frozen=True)
class Found:
    """One record found: what to show and how to open it."""

    kind: str
    id: int
    text: str
    """Its name, code or title."""
    detail: str = ""
    """What places it: a contract's title, a deliverable's contract, a decision's date."""
    snippet: str = ""
    """A note's body around the first word matched (one line)."""


def _next_after_prefix(prefix: str) -> str | None:
    """The smallest string greater than every string starting with ``prefix`` (None if
    there is none: the prefix ends with the last code point)."""
    last = ord(prefix[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:  # surrogates are not characters: no string holds one
        last = 0xE000
    if last > 0x10FFFF:
        return None
    return prefix[:-1] + chr(last)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(conn: Connection, column: Any, text: str) -> Any:
    escaped = _escape_like(text)
    # LIKE ... ESCAPE is a slower function on SQLite: only when the text needs it
    escape = "\\" if escaped != text else None
    if conn.dialect.name == "sqlite":  # SQLite's LIKE ignores ASCII case already
        return column.like(f"%{escaped}%", escape=escape)
    return column.ilike(f"%{escaped}%", escape=escape)


def _prefix_ids(conn: Connection, how: Searched, folded: str, limit: int) -> list[int]:
    table = table_of(kind_spec(how.kind))
    key = folded_column(conn, table.c[how.name])
    condition = key >= folded
    upper = _next_after_prefix(folded)
    if upper is not None:
        condition = condition & (key < upper)
    query = select(table.c.id).where(condition).order_by(key).limit(limit)
    return list(conn.execute(query).scalars())


def _anywhere_ids(
    conn: Connection, how: Searched, query: str, skip: list[int], limit: int
) -> list[int]:
    table = table_of(kind_spec(how.kind))
    matches = [_contains(conn, table.c[name], query) for name in (how.name, *how.others)]
    conditions = [or_(*matches)]
    if how.kind == "note":
        # apart: in one OR, the title's test would read every note's body from the table
        # rather than the titles from their index
        conditions.append(search.note_match(conn, table.c.id, query))
    ids: list[int] = []
    for condition in conditions:
        found = select(table.c.id).where(condition)
        if skip or ids:
            found = found.where(table.c.id.not_in([*skip, *ids]))
        found = found.limit(limit - len(ids))  # no order: stop at the first rows met
        ids += conn.execute(found).scalars()
        if len(ids) >= limit:
            break
    return ids


def snippet(body: str, query: str, width: int = SNIPPET_CHARS) -> str:
    """The part of ``body`` around the first word of ``query`` it holds, on one line."""
    flat = " ".join(body.split())
    lowered = flat.lower()
    positions = [lowered.find(word) for word in search.words(query)]
    at = min((p for p in positions if p >= 0), default=0)
    start = max(0, at - width // 3)
    if start:  # begin at a word
        space = flat.find(" ", start)
        start = space + 1 if 0 <= space < at else start
    end = min(len(flat), start + width)
    shown = flat[start:end]
    return ("…" if start else "") + shown + ("…" if end < len(flat) else "")


def _found(conn: Connection, how: Searched, ids: list[int], query: str) -> list[Found]:
    """The records ``ids`` as shown, names matching by prefix first, then by name."""
    if not ids:
        return []
    spec = kind_spec(how.kind)
    table = table_of(spec)
    columns = [table.c.id, table.c[how.name]]
    if how.kind == "contract":
        columns.append(table.c.title)
    elif how.kind == "note":
        columns.append(table.c.body)
    elif how.kind in ("deliverable", "decision"):
        codes = table_of(kind_spec("contract"))
        columns.append(codes.c.code)
        if how.kind == "decision":
            columns.append(table.c.date)
    rows = select(*columns).where(table.c.id.in_(ids))
    if how.kind in ("deliverable", "decision"):
        rows = rows.join_from(table, codes, codes.c.id == table.c.contract_id)
    folded = fold(query)
    found = []
    for row in conn.execute(rows):
        record_id, text, *rest = row
        detail, note_snippet = "", ""
        if how.kind == "note":
            note_snippet = snippet(rest[0] or "", query)
        elif how.kind == "decision":
            detail = f"{rest[0]} · {rest[1].isoformat()}"
        elif rest:
            detail = str(rest[0])
        found.append(Found(how.kind, record_id, text, detail, note_snippet))
    found.sort(key=lambda f: (not fold(f.text).startswith(folded), fold(f.text), f.id))
    return found


def find_records(
    store: Store, query: str, *, limit: int = 5, everywhere: bool = True
) -> list[Found]:
    """Up to ``limit`` records of each kind matching ``query`` (ignoring case), kind by
    kind in :data:`SEARCHED` order; nothing for a blank query.

    Without ``everywhere`` (the palette, at every keystroke) the *anywhere* step runs only
    when no kind has a name starting with the query: it scans every table, where the
    prefix step reads a few index entries (``ENG-20`` then costs 2 ms, not 70)."""
    query = " ".join(query[:MAX_QUERY].split())
    if not query or limit <= 0:
        return []
    folded = fold(query)
    with store.read() as conn:
        ids = {how: _prefix_ids(conn, how, folded, limit) for how in SEARCHED}
        if everywhere or not any(ids.values()):
            for how, found_ids in ids.items():
                if len(found_ids) < limit:
                    found_ids += _anywhere_ids(conn, how, query, found_ids, limit - len(found_ids))
        return [record for how in SEARCHED for record in _found(conn, how, ids[how], query)]


def words_in(text: str, query: str) -> list[tuple[int, int]]:
    """Where the words of ``query`` occur in ``text`` (ignoring case), as (start, end)
    spans to highlight; overlapping spans may be given."""
    lowered = text.lower()
    if len(lowered) != len(text):  # "İ" lowers to two characters: spans would shift
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    spans = []
    for word in {w for w in re.split(r"\s+", query.lower()) if w}:
        start = lowered.find(word)
        while start >= 0:
            spans.append((start, start + len(word)))
            start = lowered.find(word, start + len(word))
    return spans
