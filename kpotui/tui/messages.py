"""Messages screens post upwards: the app turns them into navigation, or announces a
change of records to every screen (:func:`announce`)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from textual.dom import DOMNode


class OpenRecord(Message):
    """Show one record: by id, or by its natural key (``{"name": ...}``)."""

    def __init__(
        self, kind: str, record_id: int | None = None, key: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__()
        self.kind = kind
        self.record_id = record_id
        self.key = dict(key or {})


class ShowList(Message):
    """Switch to the list screen of ``kind`` with some filter choices made."""

    def __init__(self, kind: str, choices: Mapping[str, str]) -> None:
        super().__init__()
        self.kind = kind
        self.choices = dict(choices)
        """Filter-bar id -> option value, e.g. ``{"classification": "core"}``."""


@dataclass(frozen=True)
class RecordsChanged:
    """Records were created, changed or deleted: what every screen showing them is told.

    Made by this app's writes (a form, a mark, a delete, an undo) and fit for changes
    found elsewhere (another session): the kinds are always given, ids when known.
    """

    kinds: frozenset[str] = frozenset()
    """The kinds of record that changed; empty: not known, so any kind may have."""
    ids: frozenset[tuple[str, int]] = frozenset()
    """(kind, id) of the records known to have changed (deleted ones included)."""
    deleted: frozenset[tuple[str, int]] = frozenset()
    """(kind, id) of the records known to be deleted."""

    @classmethod
    def of(cls, kind: str, record_id: int, *, deleted: bool = False) -> RecordsChanged:
        """One record of ``kind`` changed (or was deleted)."""
        key = frozenset({(kind, record_id)})
        return cls(frozenset({kind}), key, key if deleted else frozenset())

    def touches(self, shown: Collection[str]) -> bool:
        """True when a kind in ``shown`` may have changed."""
        return not self.kinds or not self.kinds.isdisjoint(shown)

    def merge(self, other: RecordsChanged) -> RecordsChanged:
        """Both changes as one (any kind, when either does not know which)."""
        kinds = self.kinds | other.kinds if self.kinds and other.kinds else frozenset()
        return RecordsChanged(kinds, self.ids | other.ids, self.deleted | other.deleted)


class ChangesAnnounced(Message):
    """Carries a :class:`RecordsChanged` to the app, which publishes it to the screens."""

    def __init__(self, change: RecordsChanged) -> None:
        super().__init__()
        self.change = change


def announce(node: DOMNode, change: RecordsChanged) -> None:
    """Tell every screen that shows records about ``change``; safe from any thread
    (posting a message is), and the writer needs to know no screen."""
    node.app.post_message(ChangesAnnounced(change))
