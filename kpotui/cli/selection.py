"""Selecting records for ``kpotui list``: filters checked against the kind, and paging.

A filter that does not apply to the kind (``--classification`` for contracts) or a value
that is not allowed (``--status finished``) is refused with a message, rather than
silently matching nothing; so is a name no record has (``--provider meridain``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date

from kpotui.services import listing, names
from kpotui.services.fields import FieldSpec, FieldType, KindSpec
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
    checked: dict[str, str | list[str]] = {}
    for name, value in equals.items():
        reaches_provider = name == "provider" and "contract" in spec.by_name
        if name not in spec.by_name and not reaches_provider:
            raise ValueError(f"{_option(name)} does not apply to {spec.plural}")
        if name in spec.by_name and spec.field(name).type is FieldType.ENUM:
            checked[name] = _any_of(spec.field(name), value)
        else:
            checked[name] = value.strip()
    for option, given in (("due_before", due_before), ("due_after", due_after)):
        if given is not None and spec.name not in DATE_FIELD:
            raise ValueError(f"{_option(option)} does not apply to {spec.plural}")
    if tag is not None and "tags" not in spec.by_name:
        raise ValueError(f"--tag does not apply to {spec.plural}")
    return ListFilter(checked, due_before=due_before, due_after=due_after, tag=tag, text=text)


def _any_of(field: FieldSpec, given: str) -> str | list[str]:
    """A closed-set value, or a comma-separated list of them (``active,on-hold``), each
    checked; a list matches any of its values."""
    values = []
    for part in given.split(","):
        if part.strip():
            try:
                values.append(clean_value(field, part.strip()))
            except ValueError as exc:
                raise ValueError(f"{_option(field.name)}: {exc}") from None
    if not values:
        raise ValueError(f"{_option(field.name)}: give one or more of {', '.join(field.allowed)}")
    return values[0] if len(values) == 1 else values


def check_names(store: Store, spec: KindSpec, flt: ListFilter) -> None:
    """Refuse a name no record has (``--provider meridain``): raises ValueError naming
    the option and the closest name, where the list would otherwise just be empty."""
    for name, value in flt.equals.items():
        field = spec.by_name.get(name)
        if field is None:  # --provider reaching through the contract
            kind = "provider"
        elif field.type is FieldType.REF:
            kind = field.ref or ""
        else:
            continue
        for given in value if isinstance(value, list) else [value]:
            why = names.missing_key(store, kind, given)
            if why:
                raise ValueError(f"{_option(name)}: {why}")
    if flt.tag is not None:
        why = names.missing_tag(store, flt.tag)
        if why:
            raise ValueError(f"--tag: {why}")


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
