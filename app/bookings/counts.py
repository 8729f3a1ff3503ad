"""What needs doing about bookings, counted for the home page."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.bookings.models import Booking, BookingStatus
from app.core import clock
from app.core.actor import Actor, Role
from app.officers.models import Officer


def _count(session: Session, *conditions: object) -> int:
    stmt = select(func.count()).select_from(Booking).where(*conditions)  # type: ignore[arg-type]
    return session.scalar(stmt) or 0


def requests_to_answer(session: Session, actor: Actor) -> int:
    """Requests waiting for an answer: the officer's own; for a manager, their council's."""
    mine = Booking.officer_id.in_(select(Officer.id).where(Officer.user_id == actor.user_id))
    if actor.council_id is not None and actor.has_any(Role.manager):
        return _count(
            session,
            Booking.status == BookingStatus.requested,
            Booking.lending_council_id == actor.council_id,
        )
    if actor.has_any(Role.officer):
        return _count(session, Booking.status == BookingStatus.requested, mine)
    return 0


def hours_to_record(session: Session, actor: Actor) -> int:
    """Confirmed bookings of the booker's council whose week has started: hours to confirm."""
    if actor.council_id is None or not actor.has_any(Role.booker):
        return 0
    return _count(
        session,
        Booking.status == BookingStatus.confirmed,
        Booking.booking_council_id == actor.council_id,
        Booking.week_start <= clock.today(),
    )


def timesheets_to_submit(session: Session, actor: Actor) -> int:
    """The officer's confirmed bookings whose week has started and has no timesheet yet."""
    if not actor.has_any(Role.officer):
        return 0
    return _count(
        session,
        Booking.officer_id.in_(select(Officer.id).where(Officer.user_id == actor.user_id)),
        Booking.status == BookingStatus.confirmed,
        Booking.week_start <= clock.today(),
        Booking.timesheet_minutes.is_(None),
    )
