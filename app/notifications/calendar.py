"""iCalendar feeds (RFC 5545) of an officer's confirmed bookings, built with `icalendar`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from icalendar import Calendar, Event

if TYPE_CHECKING:
    from app.bookings.models import Booking
    from app.officers.models import Officer


def officer_feed(officer: Officer, bookings: Sequence[Booking], public_url: str) -> bytes:
    """One all-day event across each booked week (Monday to Sunday)."""
    cal = Calendar()
    cal.add("prodid", "-//LocalGov Talent Pool//Bookings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Talent Pool: {officer.display_name}")
    for booking in bookings:
        event = Event()
        event.add("uid", f"booking-{booking.id}@talentpool")
        event.add("dtstamp", booking.updated_at)
        event.add("dtstart", booking.week_start)
        event.add("dtend", booking.week_start + timedelta(days=7))
        hours = f"{booking.minutes / 60:g}"
        event.add("summary", f"Talent Pool booking: {hours} hours ({booking.status})")
        event.add("description", f"{booking.purpose}\nPO: {booking.purchase_order or 'none'}")
        event.add("url", f"{public_url}/bookings/{booking.id}")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    feed: bytes = cal.to_ical()
    return feed
