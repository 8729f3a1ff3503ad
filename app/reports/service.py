"""Exchange statistics: hours and pence lent and borrowed between each pair of councils."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.bookings.models import Booking
from app.core import money
from app.core.actor import Actor
from app.core.errors import InvalidInput


@dataclass(frozen=True)
class Exchange:
    lending_council_id: uuid.UUID
    booking_council_id: uuid.UUID
    bookings: int
    minutes: int
    pence: int


def exchange(session: Session, actor: Actor, first: date, last: date) -> list[Exchange]:
    """Completed (and invoiced) hours of weeks starting between `first` and `last`, valued as
    their invoice lines are (each booking rounded half-up once). Councils see the pairs they
    are part of; platform admins see every pair."""
    if last < first:
        raise InvalidInput("'to' is before 'from'.", ["query", "to"])
    stmt = select(
        Booking.lending_council_id,
        Booking.booking_council_id,
        Booking.actual_minutes,
        Booking.rate_pence_per_hour,
    ).where(
        Booking.status.in_(("completed", "invoiced")),
        Booking.week_start >= first,
        Booking.week_start <= last,
    )
    if not actor.is_platform_admin:
        stmt = stmt.where(
            or_(
                Booking.lending_council_id == actor.council_id,
                Booking.booking_council_id == actor.council_id,
            )
        )
    totals: dict[tuple[uuid.UUID, uuid.UUID], list[int]] = defaultdict(lambda: [0, 0, 0])
    for lender, borrower, minutes, rate in session.execute(stmt):
        pair = totals[(lender, borrower)]
        pair[0] += 1
        pair[1] += minutes or 0
        pair[2] += money.line_amount_pence(minutes or 0, rate)
    return [
        Exchange(lender, borrower, count, minutes, pence)
        for (lender, borrower), (count, minutes, pence) in sorted(
            totals.items(), key=lambda item: -item[1][2]
        )
    ]
