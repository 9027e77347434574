"""Noticing what other sessions change: the app checks the database's change marker while
it runs and, when it moved, announces the records others touched and says who did it.

The check (:meth:`Watcher.check`) blocks on the database and runs in a worker thread; one
unchanged marker costs one small query. This session's own writes are announced by the
screens that make them, so they are left out here and are never toasted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kpotui.services import changes, settings
from kpotui.services.changes import Marker
from kpotui.services.fields import KINDS
from kpotui.tui.database import AppDatabase
from kpotui.tui.messages import RecordsChanged

EVENTS_READ = 200
"""Events read at most per check; beyond that any kind of record may have changed."""
VERBS = {"create": "created", "update": "updated", "delete": "deleted"}


@dataclass(frozen=True)
class Noticed:
    """What a check found that others changed."""

    change: RecordsChanged
    """For the screens showing those records."""
    notice: str | None
    """Who changed what, for a toast (None: nobody else that it can tell)."""


class Watcher:
    """Remembers the marker last read and tells what moved it since."""

    def __init__(self, database: AppDatabase) -> None:
        self.database = database
        self.seen: Marker | None = None
        """The marker of the last check (or of the opening: see AppDatabase.marker)."""

    def check(self) -> Noticed | None:
        """Others' changes since the last check, if any (blocking: call from a worker)."""
        store = self.database.store()
        now = changes.marker(store)
        last = self.seen or self.database.marker
        self.seen = now
        if last is None or now == last:
            return None
        if now.event_id < last.event_id:  # the database was put back (a restore)
            return Noticed(RecordsChanged(), "The database was replaced; showing it again")
        events = changes.events_after(store, last.event_id, limit=EVENTS_READ + 1)
        theirs = [event for event in events if not changes.written_here(store, event)]
        if len(events) > EVENTS_READ:  # too many to tell: any record may have changed
            return Noticed(RecordsChanged(), summary(theirs, many=True) if theirs else None)
        if not theirs:
            return None
        return Noticed(touched(theirs), summary(theirs))


def touched(events: Sequence[dict[str, Any]]) -> RecordsChanged:
    """The records these audit events changed."""
    ids = frozenset((event["kind"], event["record_id"]) for event in events)
    deleted = frozenset(
        (event["kind"], event["record_id"]) for event in events if event["action"] == "delete"
    )
    return RecordsChanged(frozenset(kind for kind, _ in ids), ids, deleted)


def summary(events: Sequence[dict[str, Any]], *, many: bool = False) -> str:
    """``ana updated contract HX-001``; for several records ``ana changed 3 records``;
    ``many``: more than these events, ``ana changed many records``."""
    actors = list(dict.fromkeys(event["actor"] for event in events))
    who = " and ".join([", ".join(actors[:-1]), actors[-1]] if len(actors) > 1 else actors)
    records = {(event["kind"], event["record_id"]) for event in events}
    if many:
        return f"{who} changed many records"
    if len(records) > 1:
        return f"{who} changed {len(records)} records"
    last = events[-1]
    actions = {event["action"] for event in events}
    verb = VERBS.get(last["action"], "changed") if len(actions) == 1 else "changed"
    return f"{who} {verb} {noun(last['kind'])} {last['key']}"


def noun(kind: str) -> str:
    """What people call one record of ``kind`` (a firm setting too)."""
    if kind == settings.KIND:
        return "firm setting"
    spec = KINDS.get(kind)
    return spec.noun if spec is not None else kind
