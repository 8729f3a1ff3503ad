"""Standing permissions: a manager signs off up to N hours a week in advance."""

from __future__ import annotations

import pytest

from tests.availability.helpers import API, audit_actions, book, emails_to, listed, officer_id, row


def give(client, manager, officer_uuid, max_hours, valid_from, valid_until=None):
    body = {"max_hours_per_week": max_hours, "valid_from": valid_from, "valid_until": valid_until}
    return client.post(f"{API}/officers/{officer_uuid}/permissions", json=body,
                       headers=manager.headers)


@pytest.fixture
def officer_uuid(client, officer):
    return officer_id(client, officer)


def test_a_permission_approves_new_weeks_it_covers(client, db, officer, manager, officer_uuid):
    # W50 is 7-13 December 2026 and W52 is 21-27 December.
    response = give(client, manager, officer_uuid, 10, "2026-12-07", "2026-12-27")
    assert response.status_code == 201, response.text
    permission = response.json()
    assert permission["max_hours_per_week"] == 10 and permission["active"] is True
    inside = listed(client, officer, "2026-W50", 8)
    assert inside["status"] == "approved" and inside["approved_hours"] == 8
    assert inside["decided_by_id"] == str(manager.id)
    at_max = listed(client, officer, "2026-W52", 10)
    assert at_max["status"] == "approved"
    over = listed(client, officer, "2026-W51", 12)  # over the maximum
    assert (over["status"], over["approved_hours"], over["pending_hours"]) == ("pending", 0, 12)
    before = listed(client, officer, "2026-W49", 8)  # before valid_from
    after = listed(client, officer, "2026-W53", 8)  # after valid_until
    assert before["status"] == "pending" and after["status"] == "pending"
    # Only the weeks left pending were sent to the manager.
    asked = emails_to(db, manager)
    assert len(asked) == 3
    assert emails_to(db, officer) == []


def test_a_permission_covers_only_whole_weeks(client, officer, manager, officer_uuid):
    # valid from a Tuesday, until a Friday: the first and the last week are not covered.
    give(client, manager, officer_uuid, 10, "2026-12-08", "2027-01-01")
    assert listed(client, officer, "2026-W50", 2)["status"] == "pending"
    assert listed(client, officer, "2026-W51", 2)["status"] == "approved"
    assert listed(client, officer, "2026-W52", 2)["status"] == "approved"
    assert listed(client, officer, "2026-W53", 2)["status"] == "pending"


def test_an_open_ended_permission(client, officer, manager, officer_uuid):
    give(client, manager, officer_uuid, 37.5, "2026-11-30")
    assert listed(client, officer, "2027-W40", 37.5)["status"] == "approved"


def test_a_raise_within_the_permission_is_approved_at_once(client, officer, manager,
                                                           officer_uuid):
    give(client, manager, officer_uuid, 10, "2026-11-30")
    assert listed(client, officer, "2026-W50", 4)["status"] == "approved"
    raised = listed(client, officer, "2026-W50", 9.75)
    assert (raised["status"], raised["approved_hours"]) == ("approved", 9.75)
    over = listed(client, officer, "2026-W50", 12)
    assert (over["status"], over["approved_hours"], over["pending_hours"]) == ("pending", 9.75,
                                                                              2.25)


def test_a_new_permission_approves_pending_weeks_it_covers(client, db, council, officer, manager,
                                                           officer_uuid):
    w49 = listed(client, officer, "2026-W49", 8)
    w50 = listed(client, officer, "2026-W50", 8)
    w51 = listed(client, officer, "2026-W51", 12)
    w53 = listed(client, officer, "2026-W53", 8)
    rejected = listed(client, officer, "2026-W52", 4)
    client.post(f"{API}/availability/{rejected['id']}/reject", json={"reason": "No"},
                headers=manager.headers)
    response = give(client, manager, officer_uuid, 10, "2026-12-07", "2026-12-27")
    assert response.status_code == 201
    assert row(db, w50["id"]).status == "approved"
    assert row(db, w50["id"]).approved_minutes == 480
    assert row(db, w49["id"]).status == "pending"  # before the range
    assert row(db, w51["id"]).status == "pending"  # over the maximum
    assert row(db, w53["id"]).status == "pending"  # after the range
    assert row(db, rejected["id"]).status == "rejected"  # only pending weeks are approved
    told = [e for e in emails_to(db, officer) if e["subject"] == "Your hours are approved"]
    assert len(told) == 1 and "w/c 7 Dec 2026" in told[0]["body"]
    assert "w/c 14 Dec 2026" not in told[0]["body"]
    assert audit_actions(db, council, "standing_permission") == ["permission.create"]
    assert audit_actions(db, council).count("availability.approve") == 1


def test_ending_a_permission_does_not_unapprove(client, db, council, officer, manager,
                                                officer_uuid):
    permission = give(client, manager, officer_uuid, 10, "2026-11-30").json()
    week = listed(client, officer, "2026-W50", 8)
    book(db, week["id"], 120)
    ended = client.delete(f"{API}/permissions/{permission['id']}", headers=manager.headers)
    assert ended.status_code == 204
    stored = row(db, week["id"])
    assert (stored.status, stored.approved_minutes, stored.booked_minutes) == ("approved", 480,
                                                                               120)
    # New offers wait for a manager again.
    assert listed(client, officer, "2026-W51", 8)["status"] == "pending"
    listing = client.get(f"{API}/officers/{officer_uuid}/permissions", headers=manager.headers)
    assert listing.status_code == 200
    (item,) = listing.json()["items"]
    assert item["ended_at"] is not None and item["active"] is False
    # Ending twice is harmless and records one event.
    assert client.delete(f"{API}/permissions/{permission['id']}",
                         headers=manager.headers).status_code == 204
    assert audit_actions(db, council, "standing_permission") == [
        "permission.create", "permission.end"]


def test_a_smaller_permission_never_lowers_approved_hours(client, db, officer, manager,
                                                          officer_uuid):
    big = give(client, manager, officer_uuid, 20, "2026-11-30").json()
    week = listed(client, officer, "2026-W50", 18)
    client.delete(f"{API}/permissions/{big['id']}", headers=manager.headers)
    give(client, manager, officer_uuid, 5, "2026-11-30")
    assert row(db, week["id"]).approved_minutes == 18 * 60
    assert listed(client, officer, "2026-W51", 6)["status"] == "pending"
    assert listed(client, officer, "2026-W52", 5)["status"] == "approved"


def test_who_may_give_see_and_end_permissions(client, db, make, council, officer, manager,
                                              officer_uuid):
    outsider = make.user(make.council(), "manager")
    colleague = make.user(council, "booker")
    assert give(client, outsider, officer_uuid, 5, "2026-11-30").status_code == 404
    assert give(client, colleague, officer_uuid, 5, "2026-11-30").status_code == 403
    assert give(client, officer, officer_uuid, 5, "2026-11-30").status_code == 403
    permission = give(client, manager, officer_uuid, 5, "2026-11-30").json()
    url = f"{API}/officers/{officer_uuid}/permissions"
    assert client.get(url, headers=outsider.headers).status_code == 404
    assert client.get(url, headers=colleague.headers).status_code == 403
    assert client.get(url, headers=officer.headers).status_code == 200  # their own
    assert client.delete(f"{API}/permissions/{permission['id']}",
                         headers=outsider.headers).status_code == 404
    assert client.delete(f"{API}/permissions/{permission['id']}",
                         headers=officer.headers).status_code == 403
    unknown = "00000000-0000-0000-0000-000000000000"
    assert give(client, manager, unknown, 5, "2026-11-30").status_code == 404
    assert client.delete(f"{API}/permissions/{unknown}", headers=manager.headers)\
        .status_code == 404


def test_a_manager_gives_no_permission_to_themselves(client, make, council):
    boss = make.user(council, "officer", "manager")
    boss_officer = officer_id(client, boss)
    assert give(client, boss, boss_officer, 5, "2026-11-30").status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"max_hours_per_week": 0, "valid_from": "2026-12-01"},
        {"max_hours_per_week": 0.3, "valid_from": "2026-12-01"},
        {"max_hours_per_week": 61, "valid_from": "2026-12-01"},
        {"max_hours_per_week": 5, "valid_from": "2026-12-10", "valid_until": "2026-12-01"},
        {"max_hours_per_week": 5, "valid_from": "2026-01-01", "valid_until": "2026-11-01"},
        {"max_hours_per_week": 5, "valid_from": "not a date"},
        {"max_hours_per_week": 5},
        {"max_hours_per_week": 5, "valid_from": "2026-12-01", "extra": True},
    ],
)
def test_permission_input_is_checked(client, db, council, manager, officer_uuid, body):
    response = client.post(f"{API}/officers/{officer_uuid}/permissions", json=body,
                           headers=manager.headers)
    assert response.status_code == 422, response.text
    assert audit_actions(db, council, "standing_permission") == []
