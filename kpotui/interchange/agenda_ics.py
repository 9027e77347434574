"""The agenda as an iCalendar file (RFC 5545), for calendar apps to subscribe to.

One all-day event per item, its UID the item's stable id, so a calendar updates an event
instead of adding a second one when the file is written again; one alarm per lead time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event

from kpotui.services.agenda import Item

PRODID = "-//kpotui//agenda//EN"
UID_DOMAIN = "kpotui"


def uid(item: Item) -> str:
    return f"{item.id}@{UID_DOMAIN}"


def calendar(items: Iterable[Item], *, today: date, lead_times: Iterable[int]) -> bytes:
    """The items as one calendar; DTSTAMP is ``today``'s midnight UTC, so the same agenda
    on the same day gives the same bytes."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "KPO agenda")
    stamp = datetime.combine(today, time(), tzinfo=UTC)
    leads = sorted(set(lead_times), reverse=True)
    for item in items:
        summary = f"{item.action}: {item.record_key}"
        event = Event()
        event.add("uid", uid(item))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("summary", summary)
        event.add(
            "description",
            f"{item.record_kind} {item.record_key}\n"
            f"What to do: {item.action}\nResponsible: {item.who}",
        )
        event.add("categories", [item.kind])
        event.add("transp", "TRANSPARENT")
        for days in leads:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary)
            alarm.add("trigger", timedelta(days=-days))
            event.add_component(alarm)
        cal.add_component(event)
    return bytes(cal.to_ical())
