"""The change log's reads: pages of the trail, kinds as people name them, deletions."""

from __future__ import annotations

import pytest

from kpotui.services import audit, change_log, writes
from kpotui.services.errors import ServiceError
from kpotui.store import Store
from tests.services import factories as make


def test_pages_continue_before_the_last_event_shown(store: Store) -> None:
    for n in range(5):
        make.provider(store, f"P{n}")
    every = audit.recent(store, limit=100)
    first = audit.recent(store, limit=2)
    rest = audit.recent(store, before=first[-1]["id"], limit=100)
    assert first + rest == every
    assert [e["key"] for e in every] == ["P4", "P3", "P2", "P1", "P0"]


@pytest.mark.parametrize(
    ("spelled", "kind"),
    [("Activities", "task"), ("activity", "task"), ("tasks", "task"), ("NOTE", "note"),
     ("settings", "setting"), ("deliverable", "deliverable")],
)  # fmt: skip
def test_kinds_as_people_name_them(spelled: str, kind: str) -> None:
    assert change_log.event_kind(spelled) == kind


def test_an_unknown_kind_lists_the_known(store: Store) -> None:
    with pytest.raises(ServiceError, match=r"unknown kind 'invoice' \(known: providers, "):
        change_log.event_kind("invoice")


def test_deleted_at_says_when_a_record_went(store: Store) -> None:
    provider = make.provider(store)
    assert change_log.deleted_at(store, "provider", provider["id"]) is None
    writes.delete(store, "provider", provider["id"], version=None)
    [deletion] = audit.recent(store, flt=audit.LogFilter(kind="provider"), limit=1)
    assert deletion["action"] == "delete"
    assert change_log.deleted_at(store, "provider", provider["id"]) == change_log.event_time(
        deletion
    )
    assert change_log.deleted_at(store, "setting", 1) is None
