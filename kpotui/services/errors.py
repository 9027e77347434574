"""The exceptions services raise; each carries a message meant for the user."""

from __future__ import annotations

from typing import Any

from kpotui.labels import label


class ServiceError(Exception):
    """Base of every refusal a service makes for a reason the user can act on."""


class ValidationError(ServiceError):
    """One or more fields are invalid; ``errors`` maps field name -> message.

    The text names each field as users see it (``Accepted date: ...``); ``labelled``
    false keeps the names as given (a firm setting's key, which users type)."""

    def __init__(self, errors: dict[str, str], *, labelled: bool = True) -> None:
        self.errors = errors
        named = label if labelled else str
        super().__init__(
            "; ".join(f"{named(name)}: {why}" if name else why for name, why in errors.items())
        )


class NotFoundError(ServiceError):
    """The record asked for does not exist (any more)."""


class ConflictError(ServiceError):
    """Someone else changed the record since it was read; nothing was written.

    ``current`` holds their version of the record, so a screen can show it.
    """

    def __init__(self, message: str, current: dict[str, Any] | None) -> None:
        self.current = current
        super().__init__(message)


class ReferencedError(ServiceError):
    """A delete was refused because other records reference this one."""


class UndoError(ServiceError):
    """The last change cannot be undone (nothing to undo, or changed since)."""


class BusyError(ServiceError):
    """Another writer held the database for the whole busy timeout; nothing was written.

    Raised by the store; the CLI and the app both say just this sentence."""

    def __init__(self) -> None:
        super().__init__("the database is busy; nothing was changed")
