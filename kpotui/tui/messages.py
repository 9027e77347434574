"""Messages screens post upwards; the app turns them into navigation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual.message import Message


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
