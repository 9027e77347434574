"""Small builders of valid records, so each test states only what it is about."""

from __future__ import annotations

from typing import Any

from kpotui.services import listing, writes
from kpotui.services.records import Record
from kpotui.store import Store


def provider(store: Store, name: str = "Meridian", **fields: Any) -> dict[str, Any]:
    return writes.create(store, "provider", {"name": name, **fields})


def contract(
    store: Store, code: str = "ENG-1", provider: str = "Meridian", **fields: Any
) -> dict[str, Any]:
    values = {
        "code": code,
        "title": f"Contract {code}",
        "provider": provider,
        "service_line": "financial-analysis",
        "start_date": "2025-01-01",
    }
    return writes.create(store, "contract", values | fields)


def deliverable(
    store: Store, title: str = "Monthly pack", contract: str = "ENG-1", **fields: Any
) -> dict[str, Any]:
    """A deliverable given dates is, unless told, at the status those dates go with."""
    values = {"contract": contract, "title": title, "due_date": "2025-06-01"}
    if "status" not in fields and fields.get("submitted_date"):
        values["status"] = "accepted" if fields.get("accepted_date") else "submitted"
    return writes.create(store, "deliverable", values | fields)


def task(store: Store, name: str = "Model upkeep", **fields: Any) -> dict[str, Any]:
    values = {"name": name, "classification": "core", "sourcing": "outsourced"}
    return writes.create(store, "task", values | fields)


def note(store: Store, title: str = "Runbook", **fields: Any) -> dict[str, Any]:
    return writes.create(store, "note", {"title": title, "body": "How to.", **fields})


def decision(store: Store, summary: str = "Changed source", **fields: Any) -> dict[str, Any]:
    values = {"contract": "ENG-1", "date": "2025-05-01", "summary": summary, "made_by": "provider"}
    return writes.create(store, "decision", values | fields)


def listed(store: Store, kind: str, flt: listing.ListFilter | None = None) -> list[Record]:
    """Every matching record, in the list's order, page by page."""
    out: list[Record] = []
    cursor: listing.Cursor | None = None
    while chunk := listing.page(store, kind, flt=flt, after=cursor, limit=500):
        out.extend(chunk)
        cursor = listing.cursor_of(chunk[-1], None, kind)
    return out
