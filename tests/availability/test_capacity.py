"""How bookings take and give back hours: bookable_week, hold and release."""

from __future__ import annotations

import uuid

import pytest

from app.auth.models import User
from app.availability import service
from app.core.errors import Conflict
from app.core.isoweek import Week
from app.officers import service as officers
from tests.availability.helpers import API, listed, officer_id, row


def _approve(client, manager, availability_id):
    response = client.post(f"{API}/availability/{availability_id}/approve",
                           headers=manager.headers)
    assert response.status_code == 200, response.text


def test_only_approved_hours_are_bookable(client, db, officer, manager):
    me = uuid.UUID(officer_id(client, officer))
    week = listed(client, officer, "2026-W50", 4)
    assert service.bookable_week(db, me, Week("2026-W50")) is None  # pending only
    assert service.bookable_week(db, me, Week("2026-W51")) is None  # not listed
    assert service.hold(db, uuid.UUID(week["id"]), 60) is False
    _approve(client, manager, week["id"])
    listed(client, officer, "2026-W50", 6)  # a pending raise beside the approved four hours
    found = service.bookable_week(db, me, Week("2026-W50"))
    assert found is not None and str(found.id) == week["id"]
    assert service.hold(db, found.id, 240) is True
    assert service.hold(db, found.id, 15) is False  # the pending two hours are not bookable
    assert row(db, week["id"]).booked_minutes == 240


def test_release_gives_hours_back(client, db, officer, manager):
    week = listed(client, officer, "2026-W50", 2)
    _approve(client, manager, week["id"])
    availability_id = uuid.UUID(week["id"])
    assert service.hold(db, availability_id, 120) is True
    service.release(db, availability_id, 90)
    assert row(db, week["id"]).booked_minutes == 30
    assert service.hold(db, availability_id, 90) is True
    with pytest.raises(Conflict):
        service.release(db, availability_id, 135)
    with pytest.raises(ValueError):
        service.hold(db, availability_id, 0)


def test_a_single_booking_week_takes_one_booking(client, db, officer, manager):
    week = listed(client, officer, "2026-W50", 10, single_booking=True)
    _approve(client, manager, week["id"])
    availability_id = uuid.UUID(week["id"])
    assert service.hold(db, availability_id, 120) is True
    assert service.hold(db, availability_id, 60) is False  # the first booking closed the week
    service.release(db, availability_id, 120)
    assert service.hold(db, availability_id, 600) is True  # open again once released


def test_rejected_and_withdrawn_weeks_are_not_bookable(client, db, officer, manager):
    me = uuid.UUID(officer_id(client, officer))
    rejected = listed(client, officer, "2026-W50", 2)
    client.post(f"{API}/availability/{rejected['id']}/reject", json={"reason": "No"},
                headers=manager.headers)
    withdrawn = listed(client, officer, "2026-W51", 2)
    _approve(client, manager, withdrawn["id"])
    client.delete(f"{API}/officers/me/availability/2026-W51", headers=officer.headers)
    assert service.bookable_week(db, me, Week("2026-W50")) is None
    assert service.bookable_week(db, me, Week("2026-W51")) is None


def test_sign_off_managers_prefers_the_line_manager(client, db, make, council, manager):
    other = make.user(council, "manager")
    member = make.officer(council)
    officer = officers.load_officer(db, uuid.UUID(officer_id(client, member)))
    assert {u.id for u in service.sign_off_managers(db, officer)} == {manager.id, other.id}
    db.get(User, member.id).line_manager_id = other.id
    db.commit()
    assert [u.id for u in service.sign_off_managers(db, officer)] == [other.id]
