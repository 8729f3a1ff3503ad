"""An officer lists, raises, lowers and withdraws weekly hours; the week planner; the calendar."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from app.availability.models import Availability
from app.core import clock
from app.officers.models import Officer
from tests.availability.helpers import (
    API,
    book,
    count,
    emails_to,
    listed,
    put_week,
    row,
)


def test_listing_without_consent_is_refused(client, db, make, council):
    officer = make.officer(council, consent=False)
    response = put_week(client, officer, "2026-W50", 7.5)
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "consent" in response.json()["detail"].lower()
    assert count(db, Availability, council) == 0
    client.post(f"{API}/officers/me/consent", headers=officer.headers)
    assert put_week(client, officer, "2026-W50", 7.5).status_code == 200


def test_a_new_week_waits_for_sign_off(client, db, officer):
    body = listed(client, officer, "2026-W50", 7.5, single_booking=True)
    assert body["status"] == "pending"
    assert body["hours"] == 7.5
    assert body["approved_hours"] == 0 and body["pending_hours"] == 7.5
    assert body["booked_hours"] == 0
    assert body["single_booking"] is True
    assert body["week"] == "2026-W50" and body["week_start"] == "2026-12-07"
    stored = row(db, body["id"])
    assert (stored.approved_minutes, stored.pending_minutes, stored.booked_minutes) == (0, 450, 0)
    assert stored.week_start == date(2026, 12, 7)


@pytest.mark.parametrize(
    ("hours", "status", "minutes"),
    [
        (0.25, 200, 15),
        (60, 200, 3600),
        (1, 200, 60),
        (37.75, 200, 2265),
        (0.3, 422, None),
        (0.1, 422, None),
        (7.2500001, 422, None),
        (0, 422, None),
        (-1, 422, None),
        (-0.25, 422, None),
        (60.25, 422, None),
        (1000, 422, None),
        ("7.5", 422, None),
        (True, 422, None),
        (None, 422, None),
    ],
)
def test_hours_are_quarter_hours_up_to_sixty(client, db, council, officer, hours, status, minutes):
    response = put_week(client, officer, "2026-W50", hours)
    assert response.status_code == status, response.text
    if status == 200:
        assert row(db, response.json()["id"]).pending_minutes == minutes
        assert response.json()["hours"] == minutes / 60
    else:
        assert response.json()["errors"][0]["loc"] == ["body", "hours"]
        assert count(db, Availability, council) == 0


def test_hours_are_required_and_unknown_fields_refused(client, officer):
    url = f"{API}/officers/me/availability/2026-W50"
    assert client.put(url, json={}, headers=officer.headers).status_code == 422
    response = client.put(url, json={"hours": 2, "colour": "red"}, headers=officer.headers)
    assert response.status_code == 422


@pytest.mark.parametrize("week", ["2026-W54", "2027-W53", "2026-49", "2026-W5", "now"])
def test_weeks_that_do_not_exist_are_refused(client, officer, week):
    response = put_week(client, officer, week, 2)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["path", "week"]


def test_week_53_exists_in_2026(client, officer):
    assert put_week(client, officer, "2026-W53", 2).status_code == 200


@pytest.mark.parametrize("week", ["2026-W48", "2026-W47", "2025-W10"])
def test_a_week_that_has_started_is_refused(client, db, council, officer, week):
    response = put_week(client, officer, week, 2)
    assert response.status_code == 422
    assert "has started" in response.json()["detail"]
    assert response.json()["errors"][0]["loc"] == ["path", "week"]
    assert count(db, Availability, council) == 0


def test_a_week_starts_on_its_monday_in_london(client, officer):
    with clock.travel_to(date(2026, 11, 29)):  # Sunday
        assert put_week(client, officer, "2026-W49", 2).status_code == 200
    with clock.travel_to(date(2026, 11, 30)):  # Monday
        assert put_week(client, officer, "2026-W49", 3).status_code == 422
        deleted = client.delete(f"{API}/officers/me/availability/2026-W49",
                                headers=officer.headers)
        assert deleted.status_code == 422


def test_only_officers_list_hours(client, make, council):
    booker = make.user(council, "booker")
    assert put_week(client, booker, "2026-W50", 2).status_code == 403


def _approve(client, manager, availability_id):
    response = client.post(f"{API}/availability/{availability_id}/approve",
                           headers=manager.headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_raising_an_approved_week_keeps_the_approved_hours_bookable(client, db, officer, manager):
    week = listed(client, officer, "2026-W50", 10)
    _approve(client, manager, week["id"])
    raised = listed(client, officer, "2026-W50", 15)
    assert raised["status"] == "pending"
    assert (raised["approved_hours"], raised["pending_hours"], raised["hours"]) == (10, 5, 15)
    assert book(db, week["id"], 600) == 1  # all ten approved hours can still be booked
    assert book(db, week["id"], 15) == 0  # the pending five cannot
    approved = _approve(client, manager, week["id"])
    assert (approved["approved_hours"], approved["pending_hours"]) == (15, 0)
    assert approved["booked_hours"] == 10


def test_lowering_needs_no_sign_off(client, db, officer, manager):
    week = listed(client, officer, "2026-W50", 10)
    _approve(client, manager, week["id"])
    lowered = listed(client, officer, "2026-W50", 6.5)
    assert lowered["status"] == "approved"
    assert (lowered["approved_hours"], lowered["pending_hours"]) == (6.5, 0)


def test_lowering_a_pending_raise_keeps_the_approved_part(client, officer, manager):
    week = listed(client, officer, "2026-W50", 10)
    _approve(client, manager, week["id"])
    listed(client, officer, "2026-W50", 20)
    lowered = listed(client, officer, "2026-W50", 12)
    assert (lowered["status"], lowered["approved_hours"], lowered["pending_hours"]) == (
        "pending", 10, 2)
    below = listed(client, officer, "2026-W50", 8)
    assert (below["status"], below["approved_hours"], below["pending_hours"]) == (
        "approved", 8, 0)


def test_lowering_below_booked_is_refused(client, db, officer, manager):
    week = listed(client, officer, "2026-W50", 10)
    _approve(client, manager, week["id"])
    assert book(db, week["id"], 240) == 1  # four hours booked
    response = put_week(client, officer, "2026-W50", 3.75)
    assert response.status_code == 409
    assert "booked" in response.json()["detail"]
    stored = row(db, week["id"])
    assert (stored.approved_minutes, stored.booked_minutes) == (600, 240)
    exactly = listed(client, officer, "2026-W50", 4)
    assert (exactly["approved_hours"], exactly["booked_hours"]) == (4, 4)


def test_the_database_refuses_booking_beyond_approved(client, db, officer, manager):
    week = listed(client, officer, "2026-W50", 2)
    assert book(db, week["id"], 15) == 0  # nothing approved yet
    _approve(client, manager, week["id"])
    assert book(db, week["id"], 120) == 1
    assert book(db, week["id"], 15) == 0
    with pytest.raises(IntegrityError):
        db.execute(update(Availability).where(Availability.id == row(db, week["id"]).id)
                   .values(booked_minutes=135))
        db.flush()
    db.rollback()


def test_withdrawing_an_unbooked_week(client, db, officer, manager):
    week = listed(client, officer, "2026-W50", 10)
    _approve(client, manager, week["id"])
    response = client.delete(f"{API}/officers/me/availability/2026-W50", headers=officer.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["hours"], body["approved_hours"]) == ("withdrawn", 0, 0)
    # Listing it again starts a new request.
    again = listed(client, officer, "2026-W50", 5)
    assert (again["id"], again["status"], again["pending_hours"]) == (week["id"], "pending", 5)


def test_withdrawing_keeps_the_booked_part(client, db, officer, manager):
    week = listed(client, officer, "2026-W50", 10)
    _approve(client, manager, week["id"])
    listed(client, officer, "2026-W50", 12)  # a pending raise is withdrawn too
    book(db, week["id"], 180)
    body = client.delete(f"{API}/officers/me/availability/2026-W50",
                         headers=officer.headers).json()
    assert (body["status"], body["approved_hours"], body["pending_hours"], body["booked_hours"]) \
        == ("approved", 3, 0, 3)
    assert book(db, week["id"], 15) == 0


def test_withdrawing_a_pending_week_and_an_unknown_week(client, officer):
    listed(client, officer, "2026-W50", 10)
    url = f"{API}/officers/me/availability"
    assert client.delete(f"{url}/2026-W50", headers=officer.headers).json()["status"] == \
        "withdrawn"
    assert client.delete(f"{url}/2026-W51", headers=officer.headers).status_code == 404


def test_lowering_or_withdrawing_needs_no_consent(client, db, make, council, manager):
    officer = make.officer(council)
    week = listed(client, officer, "2026-W50", 10)
    officer_row = row(db, week["id"])
    db.get(Officer, officer_row.officer_id).consent_version = "old"
    db.commit()
    assert put_week(client, officer, "2026-W50", 12).status_code == 409
    assert put_week(client, officer, "2026-W50", 8).status_code == 200
    assert client.delete(f"{API}/officers/me/availability/2026-W50",
                         headers=officer.headers).status_code == 200


def test_planner_sets_twelve_weeks_at_once(client, db, council, officer, manager):
    response = client.post(
        f"{API}/officers/me/availability/plan",
        json={"from_week": "2026-W50", "weeks": 12, "hours": 7.5, "single_booking": False},
        headers=officer.headers,
    )
    assert response.status_code == 200, response.text
    weeks = response.json()["items"]
    assert [w["week"] for w in weeks] == [
        "2026-W50", "2026-W51", "2026-W52", "2026-W53", "2027-W01", "2027-W02", "2027-W03",
        "2027-W04", "2027-W05", "2027-W06", "2027-W07", "2027-W08",
    ]
    assert {(w["status"], w["hours"]) for w in weeks} == {("pending", 7.5)}
    assert count(db, Availability, council) == 12
    asks = emails_to(db, manager)
    assert len(asks) == 1  # one email for the whole plan
    assert "12 weeks" in asks[0]["subject"]
    assert "w/c 22 Feb 2027" in asks[0]["body"]


def test_planner_refuses_a_run_starting_in_a_started_week(client, db, council, officer):
    response = client.post(
        f"{API}/officers/me/availability/plan",
        json={"from_week": "2026-W48", "weeks": 3, "hours": 2},
        headers=officer.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "from_week"]
    assert "w/c 30 Nov 2026" in response.json()["detail"]  # the first open week
    assert count(db, Availability, council) == 0


@pytest.mark.parametrize("weeks", [0, 53, -1, 2.5])
def test_planner_weeks_are_bounded(client, officer, weeks):
    response = client.post(
        f"{API}/officers/me/availability/plan",
        json={"from_week": "2026-W50", "weeks": weeks, "hours": 2},
        headers=officer.headers,
    )
    assert response.status_code == 422


def test_planner_is_all_or_nothing(client, db, council, officer, manager):
    week = listed(client, officer, "2026-W52", 10)
    _approve(client, manager, week["id"])
    book(db, week["id"], 480)
    response = client.post(
        f"{API}/officers/me/availability/plan",
        json={"from_week": "2026-W50", "weeks": 4, "hours": 6},
        headers=officer.headers,
    )
    assert response.status_code == 409
    assert "w/c 21 Dec 2026" in response.json()["detail"]
    assert count(db, Availability, council) == 1
    assert row(db, week["id"]).approved_minutes == 600


def test_my_availability_shows_every_week_with_bank_holidays(client, db, officer, manager):
    listed(client, officer, "2026-W52", 4)
    response = client.get(f"{API}/officers/me/availability?from=2026-W51&to=2027-W01",
                          headers=officer.headers)
    assert response.status_code == 200, response.text
    weeks = {w["week"]: w for w in response.json()["items"]}
    assert list(weeks) == ["2026-W51", "2026-W52", "2026-W53", "2027-W01"]
    assert weeks["2026-W51"]["id"] is None and weeks["2026-W51"]["status"] is None
    assert weeks["2026-W51"]["hours"] == 0 and weeks["2026-W51"]["working_days"] == 5
    christmas = weeks["2026-W52"]
    assert christmas["status"] == "pending" and christmas["hours"] == 4
    assert christmas["working_days"] == 4
    assert christmas["bank_holidays"] == [{"date": "2026-12-25", "name": "Christmas Day"}]
    assert weeks["2026-W53"]["working_days"] == 3
    assert weeks["2027-W01"]["working_days"] == 5


@pytest.mark.parametrize(
    ("nation", "first", "last", "expected"),
    [
        ("England", "2026-W52", "2026-W52", {"2026-W52": 4}),
        ("Scotland", "2027-W01", "2027-W01", {"2027-W01": 4}),
        ("England", "2027-W01", "2027-W01", {"2027-W01": 5}),
        ("Northern Ireland", "2027-W11", "2027-W11", {"2027-W11": 4}),
        ("England", "2027-W11", "2027-W11", {"2027-W11": 5}),
        ("Wales", "2027-W13", "2027-W13", {"2027-W13": 4}),
    ],
)
def test_working_days_follow_the_councils_nation(client, make, nation, first, last, expected):
    council = make.council(nation=nation)
    officer = make.officer(council)
    items = client.get(f"{API}/officers/me/availability?from={first}&to={last}",
                       headers=officer.headers).json()["items"]
    assert {w["week"]: w["working_days"] for w in items} == expected


def test_scotland_lists_its_new_year_holiday(client, make):
    officer = make.officer(make.council(nation="Scotland", region="Scotland"))
    items = client.get(f"{API}/officers/me/availability?from=2027-W01&to=2027-W01",
                       headers=officer.headers).json()["items"]
    assert items[0]["bank_holidays"] == [
        {"date": "2027-01-04", "name": "New Year Holiday (observed)"}
    ]


def test_my_availability_defaults_and_bounds(client, officer):
    url = f"{API}/officers/me/availability"
    default = client.get(url, headers=officer.headers).json()["items"]
    assert [w["week"] for w in default][:2] == ["2026-W48", "2026-W49"]
    assert len(default) == 12
    assert default[0]["started"] is True and default[1]["started"] is False
    assert client.get(f"{url}?from=2027-W10&to=2027-W01",
                      headers=officer.headers).status_code == 422
    assert client.get(f"{url}?from=2026-W01&to=2028-W10",
                      headers=officer.headers).status_code == 422
    assert client.get(f"{url}?from=2026-W99", headers=officer.headers).status_code == 422
    assert client.get(f"{url}?from=2999-W52", headers=officer.headers).status_code == 422


def test_single_booking_can_be_changed_alone(client, db, officer):
    first = listed(client, officer, "2026-W50", 4)
    changed = listed(client, officer, "2026-W50", 4, single_booking=True)
    assert changed["single_booking"] is True and changed["id"] == first["id"]
    assert row(db, first["id"]).single_booking is True


def test_the_planner_path_is_not_a_week(client, officer):
    url = f"{API}/officers/me/availability/plan"
    for method in ("PUT", "DELETE"):
        response = client.request(method, url, json={"hours": 2}, headers=officer.headers)
        assert response.status_code == 405
        assert response.headers["allow"] == "POST"
