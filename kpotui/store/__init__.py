"""Opening a database: engine and connections from a path or URL, pragmas, migrations, backups."""

from kpotui.store.engine import (
    ReadOnlyError,
    Store,
    StoreError,
    open_store,
)
from kpotui.target import resolve_target

__all__ = ["ReadOnlyError", "Store", "StoreError", "open_store", "resolve_target"]
