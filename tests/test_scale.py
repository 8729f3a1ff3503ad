"""The benchmark dataset (`talentpool seed-scale`): consistent rows."""

from __future__ import annotations

from sqlalchemy import func, select

from app.availability.models import Availability
from app.bookings.models import Booking
from app.officers.models import Officer
from app.scale import seed_scale


def test_seed_scale_builds_consistent_data(db):
    report = seed_scale(db, councils_wanted=3, officers_per_council=4, weeks=3, seed=7)
    assert (report.councils, report.officers, report.weeks) == (3, 12, 3)
    assert report.availability_rows > 0 and report.bookings > 0
    held = (
        select(func.coalesce(func.sum(Booking.minutes), 0))
        .where(Booking.availability_id == Availability.id)
        .scalar_subquery()
    )
    seeded = select(Officer.id).where(Officer.job_title.like("%: %"))  # "<title>: <skill>"
    rows = db.execute(
        select(Availability.booked_minutes, Availability.approved_minutes, held).where(
            Availability.officer_id.in_(seeded)
        )
    ).all()
    assert len(rows) == report.availability_rows
    # Every seeded week holds exactly its bookings' minutes, never more than approved.
    for booked, approved, held_minutes in rows:
        assert held_minutes == booked <= approved
