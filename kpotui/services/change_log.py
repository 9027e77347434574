"""The firm's change log: the audit trail across every record, as people read it.

The events are read by :func:`kpotui.services.audit.recent`; this module names the kinds
as people do (``activities`` are tasks), says whether an event's record still exists, and
words an event's changes in one short, terminal-safe line.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from kpotui.models import AuditAction
from kpotui.services import agenda_acks, settings
from kpotui.services.audit import AUDIT
from kpotui.services.errors import NotFoundError, ServiceError
from kpotui.services.fields import KINDS
from kpotui.services.records import table_of
from kpotui.store import Store
from kpotui.text import visible

KIND_SPELLINGS: dict[str, tuple[str, ...]] = {
    **{
        spec.name: tuple(dict.fromkeys((spec.nouns, spec.noun, spec.plural, spec.name)))
        for spec in KINDS.values()
    },
    settings.KIND: ("settings", settings.KIND),
    agenda_acks.KIND: (agenda_acks.KIND, "acknowledgements"),
}
"""Kind in the audit trail -> how people may name it; the first is how it is listed."""
VALUE_WIDTH = 40
"""Characters of an old or new value shown in one line; a longer value is shortened."""


class UnknownKindError(ServiceError):
    """A kind the audit trail does not know."""


def event_kind(text: str) -> str:
    """The kind the audit trail names for ``text`` (singular or plural, any case, and a
    task's on-screen name, ``activity``); refuses an unknown one with the known list."""
    spelled = text.strip().lower()
    for name, spellings in KIND_SPELLINGS.items():
        if spelled in spellings:
            return name
    known = ", ".join(spellings[0] for spellings in KIND_SPELLINGS.values())
    raise UnknownKindError(f"unknown kind {text!r} (known: {known})")


def noun(kind: str) -> str:
    """How a kind of the audit trail is shown: ``activity`` for a task."""
    return KINDS[kind].noun if kind in KINDS else kind


def event_time(event: dict[str, Any]) -> datetime:
    """An event's time, aware, in UTC (the column holds UTC without a zone)."""
    at: datetime = event["at"]
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def deleted_at(store: Store, kind: str, record_id: int) -> datetime | None:
    """When the record an event names was last deleted, or None while it exists (a
    setting always does); NotFoundError when it is missing with no deletion on record."""
    if kind not in KINDS:
        return None
    table = table_of(KINDS[kind])
    deletion = select(func.max(AUDIT.c.at)).where(
        AUDIT.c.kind == kind,
        AUDIT.c.record_id == record_id,
        AUDIT.c.action == AuditAction.DELETE.value,
    )
    with store.read() as conn:
        if conn.execute(select(table.c.id).where(table.c.id == record_id)).first():
            return None
        at = conn.execute(deletion).scalar()
    if at is None:
        raise NotFoundError(f"no {noun(kind)} with id {record_id}, and no deletion of it")
    return event_time({"at": at})


def shortened(text: str, width: int = VALUE_WIDTH) -> str:
    """``text`` cut to ``width`` characters, its end an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


def value_text(value: Any) -> str:
    """An old or new value as one short line, every control character escaped."""
    if value is None or value == []:
        return "—"
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    return shortened(visible(str(value)))


def changes_text(changes: dict[str, list[Any]]) -> str:
    """The fields an event changed, ``field: old → new``, in one line."""
    return ", ".join(
        f"{visible(name)}: {value_text(old)} → {value_text(new)}"
        for name, (old, new) in changes.items()
    )
