"""Bookings of an officer's approved hours by another council.

`requested` (hours held at once) → `confirmed` | `declined` | `expired`;
`requested`/`confirmed` → `cancelled` (before the week starts); `confirmed` → `completed`
(actual minutes recorded once the week has started) → `invoiced`. Live bookings (requested,
confirmed, completed, invoiced) hold `minutes` of their availability row's `booked_minutes`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.councils.models import Council
from app.db import Base, UTCDateTime, UUIDPrimaryKey, utcnow_default
from app.officers.models import Officer


class BookingStatus(StrEnum):
    """A booking's lifecycle (see the module docstring)."""

    requested = "requested"
    confirmed = "confirmed"
    declined = "declined"
    expired = "expired"
    cancelled = "cancelled"
    completed = "completed"
    invoiced = "invoiced"


STATUSES = tuple(s.value for s in BookingStatus)
# Bookings that hold their minutes of the week's booked_minutes.
LIVE_STATUSES = tuple(
    s.value
    for s in (
        BookingStatus.requested,
        BookingStatus.confirmed,
        BookingStatus.completed,
        BookingStatus.invoiced,
    )
)


def _stand_in_reference() -> str:
    """For rows inserted in bulk (data loads, tests) without going through `request_booking`,
    which always gives the lending council's own: unique, and plainly not a council's."""
    return f"B-{uuid.uuid4().hex[:12].upper()}"


class Booking(UUIDPrimaryKey, Base):
    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES!r}", name="status"),
        CheckConstraint("minutes > 0 AND minutes % 15 = 0", name="minutes"),
        CheckConstraint("rate_pence_per_hour >= 0", name="rate"),
        CheckConstraint(
            "actual_minutes IS NULL OR (actual_minutes >= 0 AND actual_minutes <= minutes)",
            name="actual_within_booked",
        ),
        CheckConstraint(
            "timesheet_minutes IS NULL"
            " OR (timesheet_minutes >= 0 AND timesheet_minutes <= minutes)",
            name="timesheet_within_booked",
        ),
        CheckConstraint("lending_council_id <> booking_council_id", name="other_council"),
        Index("ix_bookings_booking_council", "booking_council_id", "status", "week_start"),
        Index("ix_bookings_lending_council", "lending_council_id", "status", "week_start"),
        Index("ix_bookings_officer", "officer_id", "status"),
        Index("ix_bookings_requested_expiry", "status", "expires_at"),
    )

    availability_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("availability.id"), index=True)
    officer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("officers.id"))
    lending_council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"))
    booking_council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"))
    booker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    week: Mapped[str] = mapped_column(String(8))
    week_start: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    # Copied from the officer at request time: later rate changes never touch a booking.
    rate_pence_per_hour: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(String(1000))
    purchase_order: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(10), default="requested")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decline_reason: Mapped[str | None] = mapped_column(String(500))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    late_cancellation: Mapped[bool] = mapped_column(Boolean, default=False)
    # A late cancellation's charge, fixed when cancelled: the lender's percentage then, and
    # that share of the booked minutes (charged on the lender's next recharge run).
    late_charge_percent: Mapped[int | None] = mapped_column(Integer)
    late_charge_minutes: Mapped[int | None] = mapped_column(Integer)
    timesheet_minutes: Mapped[int | None] = mapped_column(Integer)
    timesheet_note: Mapped[str | None] = mapped_column(String(1000))
    timesheet_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    actual_minutes: Mapped[int | None] = mapped_column(Integer)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A short reference people quote: the lending council's code and a number (WBK-0042).
    # Unique; numbers come from the council's counter, so a rolled-back booking leaves a gap.
    reference: Mapped[str] = mapped_column(String(24), unique=True, default=_stand_in_reference)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)

    officer: Mapped[Officer] = relationship(lazy="raise")
    lending_council: Mapped[Council] = relationship(foreign_keys=[lending_council_id], lazy="raise")
    booking_council: Mapped[Council] = relationship(foreign_keys=[booking_council_id], lazy="raise")


class BookingReferenceCounter(Base):
    """The last booking reference number given out per lending council."""

    __tablename__ = "booking_reference_counters"

    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
