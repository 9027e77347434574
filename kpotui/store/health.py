"""``kpotui db check``: is the database whole, consistent and current?"""

from __future__ import annotations

from kpotui.store import keys
from kpotui.store.engine import Store
from kpotui.store.migrate import HEAD_REVISION, current_revision
from kpotui.store.permissions import world_access_problem


def problems(store: Store) -> list[str]:
    """Everything wrong with the database, one line each; empty when healthy."""
    found: list[str] = []
    with store.read() as conn:
        revision = current_revision(conn)
        if revision != HEAD_REVISION:
            found.append(f"schema revision {revision}, expected {HEAD_REVISION}")
        else:
            found.extend(keys.problems(conn))
        if store.dialect == "sqlite":
            integrity = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
            if integrity != ["ok"]:
                found.extend(f"integrity: {line}" for line in integrity[:20])
            for table, rowid, parent, _ in conn.exec_driver_sql("PRAGMA foreign_key_check"):
                found.append(f"broken reference: {table} row {rowid} -> missing {parent}")
    exposed = world_access_problem(store.path) if store.path is not None else None
    if exposed:
        found.append(exposed)
    return found
