from __future__ import annotations

from datetime import date

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from app.availability.models import Availability
from app.bookings.models import Booking
from app.core import clock
from app.notifications.models import OutboxMessage
from tests.bookings.conftest import WEEK, book


def _held(db, pool):
    db.expire_all()
    return db.get(Availability, pool.availability.id).booked_minutes


def test_request_holds_hours_and_copies_the_rate(client, db, pool):
    response = book(client, pool, hours=2.5)
    assert response.status_code == 201, response.text
    booking = response.json()
    assert booking["status"] == "requested"
    assert booking["hours"] == 2.5
    assert booking["rate_pence_per_hour"] == 4500
    assert _held(db, pool) == 150
    rate = client.put(
        f"/api/v1/officers/{pool.officer_id}/rate",
        json={"rate_pence_per_hour": 9000},
        headers=pool.manager.headers,
    )
    assert rate.status_code == 200
    again = client.get(f"/api/v1/bookings/{booking['id']}", headers=pool.booker.headers)
    assert again.json()["rate_pence_per_hour"] == 4500


def test_request_emails_the_officer_and_their_manager(client, db, pool):
    book(client, pool)
    recipients = {m["to"] for m in db.scalars(select(OutboxMessage.payload))}
    assert pool.officer.user.email in recipients
    assert pool.manager.user.email in recipients


def test_not_enough_hours_is_409_and_changes_nothing(client, db, pool):
    response = book(client, pool, hours=10.25)
    assert response.status_code == 409
    assert response.json()["type"] == "/problems/hours-unavailable"
    assert _held(db, pool) == 0
    assert (
        db.scalar(
            select(func.count())
            .select_from(Booking)
            .where(Booking.officer_id == pool.availability.officer_id)
        )
        == 0
    )


def test_own_council_officer_is_422(client, make, pool):
    colleague = make.user(pool.lender, "booker")
    response = client.post(
        "/api/v1/bookings",
        headers=colleague.headers,
        json={"officer_id": pool.officer_id, "week": WEEK, "hours": 1, "purpose": "x"},
    )
    assert response.status_code == 422


def test_po_required_by_the_booking_council(client, db, make, pool):
    from app.councils import service as councils

    councils.council_settings(db, pool.borrower.id).po_required = True
    db.commit()
    assert book(client, pool).status_code == 422
    ok = book(client, pool, purchase_order="PO-12345")
    assert ok.status_code == 201 and ok.json()["purchase_order"] == "PO-12345"


def test_both_councils_need_the_agreement(client, make, db, pool):
    stranger = make.council(accepted=False)
    booker = make.user(stranger, "booker")
    response = client.post(
        "/api/v1/bookings",
        headers=booker.headers,
        json={"officer_id": pool.officer_id, "week": WEEK, "hours": 1, "purpose": "x"},
    )
    assert response.status_code == 409
    assert "agreement" in response.json()["detail"]


def test_started_week_is_422(client, pool):
    with clock.travel_to(date(2026, 12, 7)):
        assert book(client, pool).status_code == 422


def test_single_booking_week_closes_on_the_first_booking(client, db, make, pool):
    from tests.factories import approved_week

    approved_week(db, pool.officer, pool.manager, "2026-W51", 6, single_booking=True)
    assert book(client, pool, hours=2, week="2026-W51").status_code == 201
    second = book(client, pool, hours=1, week="2026-W51")
    assert second.status_code == 409


def test_full_journey_to_completion(client, db, pool):
    booking = book(client, pool, hours=3).json()
    url = f"/api/v1/bookings/{booking['id']}"
    confirmed = client.post(f"{url}/confirm", headers=pool.officer.headers)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    early = client.post(f"{url}/timesheet", json={"actual_hours": 3}, headers=pool.officer.headers)
    assert early.status_code == 409  # the week has not started
    with clock.travel_to(date(2026, 12, 14)):
        too_much = client.post(
            f"{url}/timesheet", json={"actual_hours": 3.25}, headers=pool.officer.headers
        )
        assert too_much.status_code == 422
        sheet = client.post(
            f"{url}/timesheet",
            json={"actual_hours": 2.5, "note": "Done"},
            headers=pool.officer.headers,
        )
        assert sheet.status_code == 200 and sheet.json()["timesheet_hours"] == 2.5
        done = client.post(f"{url}/complete", headers=pool.booker.headers)
        assert done.status_code == 200, done.text
        assert done.json()["status"] == "completed" and done.json()["actual_hours"] == 2.5
    history = client.get(f"{url}/history", headers=pool.booker.headers).json()
    assert [e["action"] for e in history] == [
        "booking.request",
        "booking.confirm",
        "booking.timesheet",
        "booking.complete",
    ]


def test_booker_records_hours_without_a_timesheet(client, pool):
    booking = book(client, pool, hours=3).json()
    url = f"/api/v1/bookings/{booking['id']}"
    client.post(f"{url}/confirm", headers=pool.manager.headers)
    with clock.travel_to(date(2026, 12, 9)):
        assert client.post(f"{url}/complete", headers=pool.booker.headers).status_code == 422
        done = client.post(
            f"{url}/complete", json={"actual_hours": 1.5}, headers=pool.booker.headers
        )
        assert done.status_code == 200 and done.json()["actual_hours"] == 1.5


def test_decline_and_cancel_release_the_hours(client, db, pool):
    first = book(client, pool, hours=4).json()
    second = book(client, pool, hours=3).json()
    assert _held(db, pool) == 420
    declined = client.post(
        f"/api/v1/bookings/{first['id']}/decline",
        json={"reason": "On leave"},
        headers=pool.officer.headers,
    )
    assert declined.status_code == 200
    assert _held(db, pool) == 180
    cancelled = client.post(
        f"/api/v1/bookings/{second['id']}/cancel",
        json={"reason": "Not needed"},
        headers=pool.booker.headers,
    )
    assert cancelled.status_code == 200
    assert cancelled.json()["late_cancellation"] is False
    assert _held(db, pool) == 0


def test_cancelling_inside_the_notice_period_is_flagged_late(client, pool):
    booking = book(client, pool).json()
    with clock.travel_to(date(2026, 12, 3)):  # Thursday before: 2 working days' notice < 5
        response = client.post(
            f"/api/v1/bookings/{booking['id']}/cancel",
            json={"reason": "Change of plan"},
            headers=pool.booker.headers,
        )
    assert response.status_code == 200
    assert response.json()["late_cancellation"] is True


FORBIDDEN = {
    # status reached → actions that must now answer 409
    "declined": ["confirm", "decline", "cancel", "timesheet", "complete"],
    "cancelled": ["confirm", "decline", "cancel", "timesheet", "complete"],
    "confirmed": ["confirm", "decline"],
    "requested": ["timesheet", "complete"],
    "completed": ["confirm", "decline", "cancel", "timesheet", "complete"],
}


@pytest.mark.parametrize("state", FORBIDDEN)
def test_forbidden_transitions_are_409_and_change_nothing(client, db, pool, state):
    booking = book(client, pool, hours=2).json()
    url = f"/api/v1/bookings/{booking['id']}"
    officer, booker = pool.officer.headers, pool.booker.headers
    if state == "declined":
        client.post(f"{url}/decline", json={"reason": "no"}, headers=officer)
    if state == "cancelled":
        client.post(f"{url}/cancel", json={"reason": "no"}, headers=booker)
    if state in ("confirmed", "completed"):
        client.post(f"{url}/confirm", headers=officer)
    moment = date(2026, 12, 14) if state in ("completed", "requested") else clock.today()
    with clock.travel_to(moment):
        if state == "completed":
            assert (
                client.post(f"{url}/complete", json={"actual_hours": 2}, headers=booker).status_code
                == 200
            )
        before = client.get(url, headers=booker).json()
        held = _held(db, pool)
        for action in FORBIDDEN[state]:
            who = officer if action in ("confirm", "decline", "timesheet") else booker
            body = (
                {"reason": "x"}
                if action in ("decline", "cancel")
                else ({"actual_hours": 1} if action in ("timesheet", "complete") else None)
            )
            response = client.post(f"{url}/{action}", json=body, headers=who)
            assert response.status_code == 409, (state, action, response.text)
        assert client.get(url, headers=booker).json() == before
        assert _held(db, pool) == held


def test_who_may_answer_cancel_and_complete(client, make, pool):
    booking = book(client, pool).json()
    url = f"/api/v1/bookings/{booking['id']}"
    lending_finance = make.user(pool.lender, "finance")
    assert client.post(f"{url}/confirm", headers=pool.booker.headers).status_code == 403
    assert client.post(f"{url}/confirm", headers=lending_finance.headers).status_code == 403
    client.post(f"{url}/confirm", headers=pool.officer.headers)
    with clock.travel_to(date(2026, 12, 14)):
        assert (
            client.post(
                f"{url}/complete", json={"actual_hours": 1}, headers=pool.officer.headers
            ).status_code
            == 403
        )


def test_unrelated_council_gets_404_everywhere(client, make, pool):
    booking = book(client, pool).json()
    stranger = make.user(make.council(), "booker", "manager", "finance", "council_admin")
    url = f"/api/v1/bookings/{booking['id']}"
    assert client.get(url, headers=stranger.headers).status_code == 404
    assert client.get(f"{url}/history", headers=stranger.headers).status_code == 404
    for action, body in [
        ("confirm", None),
        ("decline", {"reason": "x"}),
        ("cancel", {"reason": "x"}),
        ("timesheet", {"actual_hours": 1}),
        ("complete", {"actual_hours": 1}),
    ]:
        response = client.post(f"{url}/{action}", json=body, headers=stranger.headers)
        assert response.status_code == 404, action
    listed = client.get("/api/v1/bookings?side=booking", headers=stranger.headers).json()
    assert all(item["id"] != booking["id"] for item in listed["items"])


def test_lists_by_side(client, pool):
    booking = book(client, pool).json()
    mine = client.get("/api/v1/bookings?side=mine", headers=pool.officer.headers).json()
    lending = client.get("/api/v1/bookings?side=lending", headers=pool.manager.headers).json()
    booking_side = client.get(
        "/api/v1/bookings?side=booking&status=requested", headers=pool.booker.headers
    ).json()
    for page in (mine, lending, booking_side):
        assert [item["id"] for item in page["items"]] == [booking["id"]]


def test_calendar_feed_lists_exactly_the_confirmed_bookings(client, db, pool):
    from tests.factories import approved_week

    approved_week(db, pool.officer, pool.manager, "2026-W51", 5)
    confirmed = book(client, pool, hours=2).json()
    book(client, pool, hours=1)  # stays requested
    declined = book(client, pool, hours=1, week="2026-W51").json()
    client.post(f"/api/v1/bookings/{confirmed['id']}/confirm", headers=pool.officer.headers)
    client.post(
        f"/api/v1/bookings/{declined['id']}/decline",
        json={"reason": "no"},
        headers=pool.officer.headers,
    )
    link = client.post("/api/v1/officers/me/calendar", headers=pool.officer.headers).json()["url"]
    path = link.split("://", 1)[1].split("/", 1)[1]
    feed = client.get("/" + path)
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [f"booking-{confirmed['id']}@talentpool"]
    assert events[0].decoded("dtstart") == date(2026, 12, 7)
    assert events[0].decoded("dtend") == date(2026, 12, 14)
    # Rotating the token retires the old address.
    client.post("/api/v1/officers/me/calendar", headers=pool.officer.headers)
    assert client.get("/" + path).status_code == 404


def test_reminder_to_record_hours_after_the_week(client, db, pool):
    from app.bookings import service

    booking = book(client, pool).json()
    client.post(f"/api/v1/bookings/{booking['id']}/confirm", headers=pool.officer.headers)

    def reminders():
        return [
            m
            for m in db.scalars(select(OutboxMessage.payload))
            if m["subject"].startswith("Record the hours") and booking["id"] in m["body"]
        ]

    with clock.travel_to(date(2026, 12, 13)):
        service.remind_to_record_hours(db)
        assert reminders() == []  # the week has not ended
    with clock.travel_to(date(2026, 12, 14)):
        service.remind_to_record_hours(db)
        service.remind_to_record_hours(db)
    assert len(reminders()) == 1  # once


def test_an_expired_request_cannot_be_confirmed(client, pool):
    booking = book(client, pool).json()
    assert booking["week_started"] is False
    with clock.travel_to(date(2026, 12, 2)):  # past the third working day, before the worker ran
        response = client.post(
            f"/api/v1/bookings/{booking['id']}/confirm", headers=pool.officer.headers
        )
    assert response.status_code == 409
    assert response.json()["type"] == "/problems/request-expired"
