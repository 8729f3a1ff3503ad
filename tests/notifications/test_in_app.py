"""In-app notifications: every email also lands in the person's notifications, in the same
transaction; people list them, count the unread and mark them read; nobody sees another's."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from app.core import clock
from app.notifications import service as notifications
from app.notifications.models import Notification, OutboxMessage
from tests.bookings.conftest import WEEK
from tests.factories import approved_week

TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _today():
    with clock.travel_to(TODAY):
        yield


def _mine(client, member, **params):
    response = client.get("/api/v1/notifications", params=params, headers=member.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def _unread(client, member) -> int:
    response = client.get("/api/v1/notifications/unread-count", headers=member.headers)
    assert response.status_code == 200, response.text
    return response.json()["unread"]


def test_every_queued_email_is_also_a_notification(db):
    emails_before = db.scalar(select(func.count()).select_from(OutboxMessage))
    notes_before = db.scalar(select(func.count()).select_from(Notification))
    notifications.queue_email(db, "Someone@Example.gov.uk", "Subject line", "Body with secret")
    db.flush()
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == emails_before + 1
    assert db.scalar(select(func.count()).select_from(Notification)) == notes_before + 1
    row = db.scalars(
        select(Notification).where(Notification.recipient_email == "someone@example.gov.uk")
    ).one()
    assert row.text == "Subject line"  # the subject, never the body (it may hold a link token)
    assert "secret" not in row.text


def test_a_deduplicated_email_makes_no_second_notification(db):
    key = f"once-{uuid.uuid4().hex}"
    for _ in range(2):
        notifications.queue_email(db, "once@example.gov.uk", "Once", "Body", dedupe_key=key)
        db.flush()
    rows = db.scalars(
        select(Notification).where(Notification.recipient_email == "once@example.gov.uk")
    ).all()
    assert len(rows) == 1


def test_a_rolled_back_change_leaves_no_notification(db):
    """Written in the caller's transaction: if the change fails, so does the notification."""
    with pytest.raises(RuntimeError), db.begin_nested():
        notifications.queue_email(db, "gone@example.gov.uk", "Never", "Body")
        db.flush()
        raise RuntimeError("the change failed")
    stmt = select(Notification).where(Notification.recipient_email == "gone@example.gov.uk")
    assert db.scalars(stmt).all() == []


def test_a_booking_notifies_the_officer_and_manager_in_the_app(client, make, db):
    lender, borrower = make.council(), make.council()
    officer = make.officer(lender)
    manager = make.user(lender, "manager")
    booker = make.user(borrower, "booker")
    approved_week(db, officer, manager, WEEK, 10)
    officer_id = client.get("/api/v1/officers/me", headers=officer.headers).json()["id"]
    before = _unread(client, officer)
    booked = client.post(
        "/api/v1/bookings",
        json={"officer_id": officer_id, "week": WEEK, "hours": 2, "purpose": "Planning"},
        headers=booker.headers,
    )
    assert booked.status_code == 201, booked.text
    booking = booked.json()
    assert _unread(client, officer) == before + 1
    [latest, *_] = _mine(client, officer)
    assert latest["link"] == f"/bookings/{booking['id']}"
    assert booking["reference"] in latest["text"]
    assert latest["read_at"] is None
    assert any(n["link"] == f"/bookings/{booking['id']}" for n in _mine(client, manager))
    assert not any(n["link"] == f"/bookings/{booking['id']}" for n in _mine(client, booker))


def test_marking_read_counts_down_and_filters(client, make, db):
    member = make.user(make.council(), "booker")
    for n in range(3):
        notifications.queue_email(db, member.user.email, f"News {n}", "Body")
    db.commit()
    assert _unread(client, member) == 3
    items = _mine(client, member)
    assert [n["text"] for n in items] == ["News 2", "News 1", "News 0"]  # newest first
    response = client.post(
        "/api/v1/notifications/read", json={"ids": [items[0]["id"]]}, headers=member.headers
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"marked": 1, "unread": 2}
    assert [n["text"] for n in _mine(client, member, unread="true")] == ["News 1", "News 0"]
    # Marking it again changes nothing and is no error.
    again = client.post(
        "/api/v1/notifications/read", json={"ids": [items[0]["id"]]}, headers=member.headers
    )
    assert again.json() == {"marked": 0, "unread": 2}
    everything = client.post(
        "/api/v1/notifications/read", json={"all": True}, headers=member.headers
    )
    assert everything.json() == {"marked": 2, "unread": 0}


def test_nobody_reads_or_marks_another_persons_notifications(client, make, db):
    council = make.council()
    owner, colleague = make.user(council, "booker"), make.user(council, "booker")
    notifications.queue_email(db, owner.user.email, "Private", "Body")
    db.commit()
    [note] = _mine(client, owner)
    assert _mine(client, colleague) == []
    response = client.post(
        "/api/v1/notifications/read", json={"ids": [note["id"]]}, headers=colleague.headers
    )
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert _unread(client, owner) == 1  # changed nothing


@pytest.mark.parametrize(
    "body",
    [{}, {"ids": ["not-a-uuid"]}, {"ids": [], "all": "yes"}, {"ids": [], "extra": 1},
     {"ids": [str(uuid.uuid4())] * 201}],
)
def test_bad_bodies_get_a_clear_422(client, make, body):
    member = make.user(make.council(), "booker")
    response = client.post("/api/v1/notifications/read", json=body, headers=member.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def test_one_unknown_id_among_mine_marks_none(client, make, db):
    member = make.user(make.council(), "booker")
    notifications.queue_email(db, member.user.email, "Mine", "Body")
    db.commit()
    [note] = _mine(client, member)
    response = client.post(
        "/api/v1/notifications/read",
        json={"ids": [note["id"], str(uuid.uuid4())]},
        headers=member.headers,
    )
    assert response.status_code == 404
    assert _unread(client, member) == 1
