"""iCalendar feeds (RFC 5545), built with `icalendar` from plain entries, so that this module
knows nothing of bookings or officers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event


@dataclass(frozen=True)
class WeekEntry:
    """One all-day event across a booked week (Monday to Sunday)."""

    uid: uuid.UUID
    updated_at: datetime
    week_start: date
    summary: str
    description: str
    url: str


def feed(name: str, entries: Sequence[WeekEntry]) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//LocalGov Talent Pool//Bookings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Talent Pool: {name}")
    for entry in entries:
        event = Event()
        event.add("uid", f"booking-{entry.uid}@talentpool")
        event.add("dtstamp", entry.updated_at)
        event.add("dtstart", entry.week_start)
        event.add("dtend", entry.week_start + timedelta(days=7))
        event.add("summary", entry.summary)
        event.add("description", entry.description)
        event.add("url", entry.url)
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    body: bytes = cal.to_ical()
    return body
