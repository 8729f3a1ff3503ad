"""The bookings read model: how other domains read bookings for reports and exports.

Other domains never import `app.bookings.models` (an import-linter contract in pyproject.toml
says so, naming the two services that take the ORM bookings the bookings service hands them).
They ask the bookings service to act, and read through these functions, which return
statements of plain columns, never ORM objects: a reader may filter, join or aggregate them,
and the bookings table stays the bookings domain's own to change.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, or_, select

from app.bookings.models import LIVE_STATUSES, Booking, BookingStatus

# Bookings whose hours were worked: what is valued, invoiced and paid for.
DONE_STATUSES = (BookingStatus.completed, BookingStatus.invoiced)

Statement = TypeVar("Statement", bound=Select[Any])


@dataclass(frozen=True)
class Scope:
    """Which bookings a read covers: those a council lent, booked, or either; or one booking.
    Every part given must hold; none given covers every booking."""

    lending_council_id: uuid.UUID | None = None
    booking_council_id: uuid.UUID | None = None
    either_council_id: uuid.UUID | None = None
    booking_id: uuid.UUID | None = None

    def criteria(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.lending_council_id is not None:
            found.append(Booking.lending_council_id == self.lending_council_id)
        if self.booking_council_id is not None:
            found.append(Booking.booking_council_id == self.booking_council_id)
        if self.either_council_id is not None:
            found.append(
                or_(
                    Booking.lending_council_id == self.either_council_id,
                    Booking.booking_council_id == self.either_council_id,
                )
            )
        if self.booking_id is not None:
            found.append(Booking.id == self.booking_id)
        return found


def _weeks(first: date, last: date) -> list[ColumnElement[bool]]:
    """Bookings of weeks whose Monday falls between `first` and `last` (both included)."""
    return [Booking.week_start >= first, Booking.week_start <= last]


def done_in_weeks(
    first: date, last: date, scope: Scope = Scope()
) -> Select[uuid.UUID, uuid.UUID, uuid.UUID, uuid.UUID, date, int | None, int]:
    """Worked bookings (completed or invoiced) of the weeks, in `scope`: id, lending_council_id,
    booking_council_id, officer_id, week_start, actual_minutes, rate_pence_per_hour."""
    return select(
        Booking.id,
        Booking.lending_council_id,
        Booking.booking_council_id,
        Booking.officer_id,
        Booking.week_start,
        Booking.actual_minutes,
        Booking.rate_pence_per_hour,
    ).where(Booking.status.in_(DONE_STATUSES), *_weeks(first, last), *scope.criteria())


def live_in_weeks(first: date, last: date) -> Select[int, int | None, int]:
    """Bookings that hold hours (requested, confirmed, completed or invoiced) of the weeks:
    minutes, actual_minutes, rate_pence_per_hour."""
    return select(Booking.minutes, Booking.actual_minutes, Booking.rate_pence_per_hour).where(
        Booking.status.in_(LIVE_STATUSES), *_weeks(first, last)
    )


def worked_by_officer(
    lending_council_id: uuid.UUID, first: date, last: date
) -> Select[uuid.UUID, str, uuid.UUID, int | None, int]:
    """A lending council's worked bookings of the weeks, by officer then week: officer_id,
    reference, booking_council_id, actual_minutes, minutes (for its payroll)."""
    return (
        select(
            Booking.officer_id,
            Booking.reference,
            Booking.booking_council_id,
            Booking.actual_minutes,
            Booking.minutes,
        )
        .where(
            Booking.lending_council_id == lending_council_id,
            Booking.status.in_(DONE_STATUSES),
            *_weeks(first, last),
        )
        .order_by(Booking.officer_id, Booking.week_start, Booking.id)
    )


def not_referenced_by(stmt: Statement, booking_id_column: Any) -> Statement:
    """`stmt` (a statement over bookings, such as the bookings service's) less the bookings
    that a row of another table refers to through `booking_id_column` (for invoicing: less
    what is on an invoice line already)."""
    referring = select(booking_id_column).where(booking_id_column == Booking.id)
    return stmt.where(~referring.exists())
