"""Selecting records for ``kpotui list``: filters checked against the kind, and paging.

A filter that does not apply to the kind (``--classification`` for contracts) or a value
that is not allowed (``--status finished``) is refused with a message, rather than
silently matching nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

from kpotui.services import listing
from kpotui.services.fields import FieldType, KindSpec
from kpotui.services.listing import DATE_FIELD, ListFilter
from kpotui.services.records import Record
from kpotui.services.validation import clean_value
from kpotui.store import Store

PAGE_SIZE = 1000


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


def build_filter(
    spec: KindSpec,
    *,
    equals: Mapping[str, str],
    due_before: date | None = None,
    due_after: date | None = None,
    tag: str | None = None,
    text: str = "",
) -> ListFilter:
    """A :class:`ListFilter` for ``spec``; raises ValueError naming the option at fault."""
    checked: dict[str, str] = {}
    for name, value in equals.items():
        reaches_provider = name == "provider" and "contract" in spec.by_name
        if name not in spec.by_name and not reaches_provider:
            raise ValueError(f"{_option(name)} does not apply to {spec.plural}")
        if name in spec.by_name and spec.field(name).type is FieldType.ENUM:
            try:
                value = clean_value(spec.field(name), value)
            except ValueError as exc:
                raise ValueError(f"{_option(name)}: {exc}") from None
        checked[name] = value.strip()
    for option, given in (("due_before", due_before), ("due_after", due_after)):
        if given is not None and spec.name not in DATE_FIELD:
            raise ValueError(f"{_option(option)} does not apply to {spec.plural}")
    if tag is not None and "tags" not in spec.by_name:
        raise ValueError(f"--tag does not apply to {spec.plural}")
    return ListFilter(checked, due_before=due_before, due_after=due_after, tag=tag, text=text)


def check_sort(spec: KindSpec, name: str) -> None:
    if name not in spec.by_name:
        known = ", ".join(f.name for f in spec.fields)
        raise ValueError(f"--sort: {spec.plural} have no field {name!r} (known: {known})")


def matching(
    store: Store,
    kind: str,
    flt: ListFilter,
    *,
    sort: str | None = None,
    descending: bool | None = None,
    limit: int | None = None,
) -> Iterator[Record]:
    """The records of ``kind`` that match ``flt``, fetched a page at a time (keyset paging),
    so a list of any length is written in flat memory."""
    cursor = None
    left = limit
    while left is None or left > 0:
        size = PAGE_SIZE if left is None else min(PAGE_SIZE, left)
        page = listing.page(
            store, kind, flt=flt, sort=sort, descending=descending, after=cursor, limit=size
        )
        yield from page
        if len(page) < size:
            return
        left = None if left is None else left - len(page)
        cursor = listing.cursor_of(page[-1], sort, kind)
