"""The agenda's SLA item: a contract that missed a service-level target this period.

It is dated the first day of the period in breach: listed with the overdue items (so
``kpotui agenda --fail-on overdue`` reports it, as cron mails it) and keeping one id, and
one calendar event, for the whole period; an acknowledgement holds until the period ends.
Which targets count as a breach is :mod:`kpotui.services.sla`'s rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Connection, select

from kpotui.services import sla
from kpotui.services.agenda_items import Item, Window
from kpotui.services.insights.sql import C

KIND = "sla-breach"


def _missed(check: sla.Check) -> str:
    assert check.actual is not None  # a breach has a figure
    if check.target == "on_time":
        return f"on time {check.actual:.0f}% (target ≥ {check.wanted:.0f}%)"
    if check.target == "quality":
        return f"quality {check.actual:.2f} (target ≥ {check.wanted:.2f})"
    return f"rework {check.actual:.2f} rounds (target ≤ {check.wanted:.2f})"


def sla_breaches(conn: Connection, w: Window) -> Iterator[Item]:
    """Contracts in breach in their current period, for the contract's owner."""
    breached = [c for c in sla.contracts_sla_in(conn, w.today) if c.periods[0].breaches]
    if not breached:
        return
    codes = [c.code for c in breached]
    records = {
        row.code: row
        for row in conn.execute(select(C.c.code, C.c.id, C.c.version).where(C.c.code.in_(codes)))
    }
    for contract in breached:
        shown = contract.periods[0]
        day = shown.period.start
        if day > w.horizon or (w.first is not None and day < w.first):
            continue
        who = (contract.owner,) if contract.owner else ()
        if w.person is not None and w.person not in (name.lower() for name in who):
            continue
        missed = "; ".join(_missed(check) for check in shown.breaches)
        action = f"SLA missed in {shown.period.label}: {missed}: raise it with the provider"
        record = records[contract.code]
        yield Item(KIND, day, "contract", record.id, contract.code, action, who, record.version)
