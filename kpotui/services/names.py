"""Names a filter gives that no record has, with the closest one that exists.

A list filtered by a mistyped name (``--provider meridain``) would otherwise be an empty
list, which a script cannot tell apart from no data.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from sqlalchemy import select

from kpotui.services import listing
from kpotui.services.fields import kind_spec
from kpotui.services.records import from_column_value, resolve_id, table_of
from kpotui.store import Store


def closest(given: str, names: Iterable[str]) -> str | None:
    """The name nearest ``given``, any case: the shortest one holding it (``meridian``
    -> ``Meridian Analytics``), else difflib's best match, else None."""
    folded = given.strip().casefold()
    by_folded: dict[str, str] = {}
    for name in names:
        by_folded.setdefault(name.casefold(), name)
    holding = [name for key, name in by_folded.items() if folded and folded in key]
    if holding:
        return min(holding, key=lambda name: (len(name), name))
    matches = difflib.get_close_matches(folded, by_folded, n=1)
    return by_folded[matches[0]] if matches else None


def _suggestion(given: str, names: Iterable[str]) -> str:
    near = closest(given, names)
    return f" (closest: {near!r})" if near is not None else ""


def missing_key(store: Store, kind: str, name: str) -> str | None:
    """Why no ``kind`` is named ``name`` (its natural key), or None when one is."""
    spec = kind_spec(kind)
    with store.read() as conn:
        if resolve_id(conn, kind, name) is not None:
            return None
        column = table_of(spec).c[spec.field(spec.key[0]).column]
        keys = conn.execute(select(column)).scalars()
        hint = _suggestion(name, keys)
    return f"no {spec.name} has the {spec.key[0]} {name!r}{hint}"


def missing_tag(store: Store, tag: str) -> str | None:
    """Why no note has the tag ``tag``, or None when one has."""
    if listing.count(store, "note", listing.ListFilter(tag=tag)):
        return None
    field = kind_spec("note").field("tags")
    with store.read() as conn:
        stored = conn.execute(select(table_of(kind_spec("note")).c[field.column])).scalars()
        tags = {known for value in stored for known in from_column_value(field, value)}
    return f"no note has the tag {tag!r}{_suggestion(tag, sorted(tags))}"
