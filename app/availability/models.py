"""Weekly offers of hours and standing permissions.

One `availability` row per officer per ISO week holds three integer minute counts:

- `approved_minutes`: signed off by a manager (or a standing permission): the bookable hours.
- `pending_minutes`: asked for on top of the approved hours and awaiting a decision.
- `booked_minutes`: held by live bookings. Bookings only ever do DESIGN.md rule 1's
  `UPDATE availability SET booked_minutes = booked_minutes + :m
   WHERE id = :id AND booked_minutes + :m <= approved_minutes`,
  backed by the CHECK `booked_minutes <= approved_minutes`.

The officer's offer (`hours` in the API) is `approved_minutes + pending_minutes`. Raising an
approved week adds only the difference to `pending_minutes`: the approved hours stay bookable
while the raise waits. `status` is derived from the numbers and kept consistent by CHECKs:
`pending` exactly when `pending_minutes > 0` (approved hours may sit beside it); `approved`
when nothing waits and some hours are approved; `rejected` when the last request was refused
and nothing is approved; `withdrawn` when the officer took everything back and nothing was
booked. Search must therefore offer `approved_minutes - booked_minutes` of rows in `pending`
or `approved`, not only of `approved` ones.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import InstrumentedAttribute, Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, UUIDPrimaryKey, utcnow_default
from app.officers.models import Officer


class AvailabilityStatus(StrEnum):
    """Where a week's offer stands (derived from its minutes; see the module docstring)."""

    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    withdrawn = "withdrawn"


STATUSES = tuple(s.value for s in AvailabilityStatus)
# The most one officer may offer in a week, in minutes (60 hours).
MAX_WEEK_MINUTES = 60 * 60


class Availability(UUIDPrimaryKey, Base):
    __tablename__ = "availability"
    __table_args__ = (
        UniqueConstraint("officer_id", "week"),
        Index("ix_availability_week_status", "week", "status"),
        Index("ix_availability_council_status_week", "council_id", "status", "week"),
        Index("ix_availability_week_start", "week_start"),
        CheckConstraint(f"status IN {STATUSES!r}", name="status"),
        CheckConstraint(
            "approved_minutes >= 0 AND pending_minutes >= 0 AND booked_minutes >= 0",
            name="minutes_not_negative",
        ),
        CheckConstraint("booked_minutes <= approved_minutes", name="booked_within_approved"),
        CheckConstraint(
            "approved_minutes % 15 = 0 AND pending_minutes % 15 = 0 AND booked_minutes % 15 = 0",
            name="quarter_hours",
        ),
        CheckConstraint(
            f"approved_minutes + pending_minutes <= {MAX_WEEK_MINUTES}", name="week_maximum"
        ),
        CheckConstraint(
            "(status = 'pending' AND pending_minutes > 0)"
            " OR (status <> 'pending' AND pending_minutes = 0)",
            name="pending_status",
        ),
        CheckConstraint(
            "status NOT IN ('rejected', 'withdrawn') OR approved_minutes = 0",
            name="closed_status",
        ),
        CheckConstraint("status <> 'approved' OR approved_minutes > 0", name="approved_status"),
    )

    officer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("officers.id"))
    # Denormalised from the officer, for tenancy checks and search without a join.
    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"))
    week: Mapped[str] = mapped_column(String(8))  # 'YYYY-Www'
    week_start: Mapped[date] = mapped_column(Date)  # the week's Monday, for date-range queries
    approved_minutes: Mapped[int] = mapped_column(Integer, default=0)
    pending_minutes: Mapped[int] = mapped_column(Integer, default=0)
    booked_minutes: Mapped[int] = mapped_column(Integer, default=0)
    single_booking: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10))
    reject_reason: Mapped[str | None] = mapped_column(String(500))
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)

    officer: Mapped[Officer] = relationship(lazy="raise")

    @property
    def offered_minutes(self) -> int:
        """What the officer offers: approved plus still waiting."""
        return self.approved_minutes + self.pending_minutes


# Search's order (most hours free first, then officer and week): both engines walk this index
# and stop after a page instead of sorting every candidate row. See availability/search.py.
Index(
    "ix_availability_available",
    (Availability.approved_minutes - Availability.booked_minutes).self_group().desc(),
    Availability.officer_id,
    Availability.week,
)


class StandingPermission(UUIDPrimaryKey, Base):
    """A manager's standing sign-off: up to `max_minutes_per_week` in every week that lies
    wholly inside `valid_from`..`valid_until` (open-ended when `valid_until` is null),
    until `ended_at`. Ending or replacing one never takes back hours it already approved."""

    __tablename__ = "standing_permissions"
    __table_args__ = (
        CheckConstraint(
            f"max_minutes_per_week > 0 AND max_minutes_per_week <= {MAX_WEEK_MINUTES}"
            " AND max_minutes_per_week % 15 = 0",
            name="max_minutes",
        ),
        CheckConstraint("valid_until IS NULL OR valid_until >= valid_from", name="valid_range"),
    )

    officer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("officers.id"), index=True)
    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"), index=True)
    max_minutes_per_week: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


# --- people search, kept by the database -----------------------------------------------------
# People search orders officers by their free minutes in the range and counts them all. For the
# default range (the 12 weeks after this one) the database keeps one row per officer with what
# that asks of them, so people search walks an index and stops after a page, and counts one
# small table, instead of adding up every officer-week. Triggers on `availability`, `officers`
# and `users` (migration 0019) recompute an officer's row whenever any of it changes, for the
# weeks `search_window` names; the window moves once a week (availability.summary).

KEPT_WEEKS = 12


class SearchWindow(Base):
    """The one row (id 1) naming the weeks `officer_free_minutes` keeps, Mondays inclusive."""

    __tablename__ = "search_window"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    first_monday: Mapped[date] = mapped_column(Date)
    last_monday: Mapped[date] = mapped_column(Date)


class OfficerFreeMinutes(Base):
    """An officer as people search in the default range sees them: their council, whether
    they are listed (visible, consented to the current text, an active account, their council
    in the pool), each window week's free minutes if the week counts (approved or pending, not
    a part-booked single-booking week; else 0), and `free_minutes`, the total of the weeks
    with at least 15 free. Derived data, kept by triggers: no foreign keys."""

    __tablename__ = "officer_free_minutes"

    officer_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    council_id: Mapped[uuid.UUID] = mapped_column(index=True)
    listed: Mapped[bool] = mapped_column(Boolean)
    free_minutes: Mapped[int] = mapped_column(Integer)
    week_1: Mapped[int] = mapped_column(Integer)
    week_2: Mapped[int] = mapped_column(Integer)
    week_3: Mapped[int] = mapped_column(Integer)
    week_4: Mapped[int] = mapped_column(Integer)
    week_5: Mapped[int] = mapped_column(Integer)
    week_6: Mapped[int] = mapped_column(Integer)
    week_7: Mapped[int] = mapped_column(Integer)
    week_8: Mapped[int] = mapped_column(Integer)
    week_9: Mapped[int] = mapped_column(Integer)
    week_10: Mapped[int] = mapped_column(Integer)
    week_11: Mapped[int] = mapped_column(Integer)
    week_12: Mapped[int] = mapped_column(Integer)

    @classmethod
    def weeks(cls) -> list[InstrumentedAttribute[int]]:
        return [getattr(cls, f"week_{n + 1}") for n in range(KEPT_WEEKS)]


# People search's order among listed officers (most free minutes first, then officer), walked
# and never sorted; with the council, a count of them reads this index alone.
Index(
    "ix_officer_free_minutes_order",
    OfficerFreeMinutes.listed,
    OfficerFreeMinutes.free_minutes.desc(),
    OfficerFreeMinutes.officer_id,
    OfficerFreeMinutes.council_id,
)
