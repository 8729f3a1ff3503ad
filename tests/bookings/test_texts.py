"""What people read about a booking (its history, the emails sent) names weeks by their dates,
writes hours one way, and reads as English: never a week code such as 2026-W50."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from app.bookings import service as bookings
from app.core import clock
from app.core.hours import hours_text
from app.core.isoweek import day_text, week_text
from app.notifications.models import OutboxMessage
from tests.bookings.conftest import book

WEEK_CODE = re.compile(r"\b\d{4}-W\d{2}\b")


def _texts(db) -> list[str]:
    return [f"{m['subject']}\n{m['body']}" for m in db.scalars(select(OutboxMessage.payload))]


def test_weeks_and_hours_as_people_read_them() -> None:
    assert week_text("2026-W50") == "w/c 7 Dec 2026"
    assert week_text("2027-W01") == "w/c 4 Jan 2027"
    assert week_text("2026-W53") == "w/c 28 Dec 2026"
    assert day_text(date(2026, 11, 2)) == "Monday 2 November 2026"
    assert [hours_text(m) for m in (0, 15, 60, 165, 450)] == [
        "0 hours", "0.25 hours", "1 hour", "2.75 hours", "7.5 hours"
    ]


def test_a_bookings_history_and_emails_read_naturally(client, db, pool) -> None:
    created = book(client, pool, hours=2.75)
    assert created.status_code == 201, created.text
    booking_id = created.json()["id"]
    confirmed = client.post(f"/api/v1/bookings/{booking_id}/confirm", headers=pool.officer.headers)
    assert confirmed.status_code == 200, confirmed.text
    with clock.travel_to(date(2026, 12, 14)):  # the week after the booked one
        timesheet = client.post(
            f"/api/v1/bookings/{booking_id}/timesheet",
            json={"actual_hours": 2.5},
            headers=pool.officer.headers,
        )
        assert timesheet.status_code == 200, timesheet.text
        bookings.remind_to_record_hours(db)
        done = client.post(
            f"/api/v1/bookings/{booking_id}/complete", json={}, headers=pool.booker.headers
        )
        assert done.status_code == 200, done.text
        history = client.get(f"/api/v1/bookings/{booking_id}/history", headers=pool.officer.headers)
    summaries = [event["summary"] for event in history.json()]
    name = pool.officer.user.name
    assert summaries[1] == f"{name} confirmed the booking: 2.75 hours, w/c 7 Dec 2026"
    assert summaries[2] == f"{name} reported 2.5 hours worked"
    assert summaries[3].endswith("recorded 2.5 hours worked and completed the booking")
    assert summaries[0].endswith(f"asked for 2.75 hours of {name}'s time, w/c 7 Dec 2026")
    emails = _texts(db)
    assert any("Booking confirmed:" in text and "w/c 7 Dec 2026" in text for text in emails)
    for text in [*summaries, *emails]:
        assert not WEEK_CODE.search(text), text
        assert " h " not in text and f"of {name} for" not in text, text


def test_refusals_name_the_week_by_its_dates(client, pool) -> None:
    with clock.travel_to(date(2026, 12, 8)):  # inside the booked week
        late = book(client, pool)
    assert late.status_code == 422
    assert "w/c 7 Dec 2026" in late.json()["detail"]
    assert not WEEK_CODE.search(late.json()["detail"])
