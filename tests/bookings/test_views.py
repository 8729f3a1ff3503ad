"""Issue 10: a booking is shown from the ORM objects (BookingOut validates from them), its
councils read once per page, not twice per booking; the JSON is what it was."""

from __future__ import annotations

from app.auth import service as auth
from app.bookings import api as bookings_api
from app.bookings import service
from app.core.pagination import PageParams
from tests.bookings.conftest import WEEK, book
from tests.factories import approved_week
from tests.statements import statements


def test_a_page_of_bookings_reads_the_councils_once(client, db, make, pool):
    # Bookings of officers from three lending councils, by the one booker.
    for _ in range(2):
        lender = make.council()
        officer = make.officer(lender)
        approved_week(db, officer, make.user(lender, "manager"), WEEK, 10)
        officer_id = client.get("/api/v1/officers/me", headers=officer.headers).json()["id"]
        assert book(client, pool, officer_id=officer_id).status_code == 201
    assert book(client, pool).status_code == 201
    booker = auth.actor_for(pool.booker.user, "token")
    db.expunge_all()  # nothing already loaded helps

    with statements(db) as seen:
        rows, _cursor = service.list_bookings(db, booker, "booking", None, PageParams(limit=50))
        shown = bookings_api.bookings_out(db, rows)

    assert len(shown) == 3
    assert len({out.lending_council.id for out in shown}) == 3
    assert {out.booking_council.code for out in shown} == {pool.borrower.code}
    # The bookings with their officers, then every council named with its settings.
    assert len(seen) == 2, seen


def test_a_booking_shows_the_same_fields_as_before(client, pool):
    booking = book(client, pool, hours=2.5).json()
    assert list(booking) == [
        "id", "reference", "status", "officer", "lending_council", "booking_council",
        "booker_id", "week", "week_start", "week_started", "hours", "rate_pence_per_hour",
        "purpose", "purchase_order", "requested_at", "expires_at", "decided_at",
        "decline_reason", "cancelled_at", "cancel_reason", "late_cancellation",
        "late_cancellation_charge", "timesheet_hours", "timesheet_note", "actual_hours",
        "completed_at", "cost", "contacts",
    ]  # fmt: skip
    assert booking["hours"] == 2.5 and booking["week_started"] is False
    assert booking["timesheet_hours"] is None and booking["actual_hours"] is None
    assert booking["late_cancellation_charge"] is None
    assert booking["cost"]["hours"] == 2.5
