"""Managers approve and reject weeks, one by one or in bulk; who may, and who is told."""

from __future__ import annotations

from datetime import date

import pytest

from app.auth.models import User
from app.core import clock
from tests.availability.helpers import API, emails_to, listed, officer_id, row


def approve(client, member, availability_id):
    return client.post(f"{API}/availability/{availability_id}/approve", headers=member.headers)


def reject(client, member, availability_id, reason="Busy with the budget"):
    body = {"reason": reason} if reason is not None else {}
    return client.post(f"{API}/availability/{availability_id}/reject", json=body,
                       headers=member.headers)


def test_manager_approves(client, db, officer, manager):
    week = listed(client, officer, "2026-W50", 7.5)
    response = approve(client, manager, week["id"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["approved_hours"], body["pending_hours"]) == ("approved", 7.5, 0)
    assert body["decided_by_id"] == str(manager.id)
    assert body["officer"]["display_name"] == "Olu Officer"
    stored = row(db, week["id"])
    assert stored.decided_by_id == manager.id and stored.decided_at is not None
    assert approve(client, manager, week["id"]).status_code == 409  # not pending any more


def test_manager_rejects_with_a_reason(client, db, officer, manager):
    week = listed(client, officer, "2026-W50", 7.5)
    assert reject(client, manager, week["id"], reason=None).status_code == 422
    assert reject(client, manager, week["id"], reason="   ").status_code == 422
    assert reject(client, manager, week["id"], reason="x" * 501).status_code == 422
    assert row(db, week["id"]).status == "pending"
    response = reject(client, manager, week["id"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["hours"], body["reject_reason"]) == (
        "rejected", 0, "Busy with the budget")
    told = emails_to(db, officer)
    assert len(told) == 1 and "not approved" in told[0]["subject"]
    assert "Busy with the budget" in told[0]["body"]


def test_rejecting_a_raise_leaves_the_earlier_approval(client, officer, manager):
    week = listed(client, officer, "2026-W50", 10)
    approve(client, manager, week["id"])
    listed(client, officer, "2026-W50", 16)
    body = reject(client, manager, week["id"], "Ten is plenty").json()
    assert (body["status"], body["approved_hours"], body["pending_hours"], body["hours"]) == (
        "approved", 10, 0, 10)
    assert body["reject_reason"] == "Ten is plenty"


def test_a_manager_of_another_council_sees_and_decides_nothing(client, db, make, officer):
    week = listed(client, officer, "2026-W50", 7.5)
    outsider = make.user(make.council(), "manager")
    assert client.get(f"{API}/availability/{week['id']}", headers=outsider.headers)\
        .status_code == 404
    assert approve(client, outsider, week["id"]).status_code == 404
    assert reject(client, outsider, week["id"]).status_code == 404
    listing = client.get(f"{API}/approvals", headers=outsider.headers)
    assert listing.status_code == 200 and listing.json()["items"] == []
    bulk = client.post(f"{API}/approvals/approve", json={"ids": [week["id"]]},
                       headers=outsider.headers).json()
    assert bulk["approved"] == [] and bulk["skipped"] == [{"id": week["id"],
                                                           "reason": "not found"}]
    assert row(db, week["id"]).status == "pending"


def test_an_officer_cannot_approve(client, db, make, council, officer):
    week = listed(client, officer, "2026-W50", 7.5)
    colleague = make.officer(council)
    for member in (officer, colleague, make.user(council, "booker")):
        assert approve(client, member, week["id"]).status_code == 403
        assert reject(client, member, week["id"]).status_code == 403
        assert client.get(f"{API}/approvals", headers=member.headers).status_code == 403
        assert client.post(f"{API}/approvals/approve", headers=member.headers).status_code == 403
    assert row(db, week["id"]).status == "pending"


def test_nobody_signs_off_their_own_hours(client, db, make, council, manager):
    boss = make.user(council, "officer", "manager")
    client.post(f"{API}/officers/me/consent", headers=boss.headers)
    week = listed(client, boss, "2026-W50", 3)
    assert approve(client, boss, week["id"]).status_code == 403
    bulk = client.post(f"{API}/approvals/approve", json={"ids": [week["id"]]},
                       headers=boss.headers).json()
    assert bulk["approved"] == [] and "own hours" in bulk["skipped"][0]["reason"]
    assert approve(client, manager, week["id"]).status_code == 200


def test_the_officer_and_managers_can_read_a_week(client, make, council, officer, manager):
    week = listed(client, officer, "2026-W50", 7.5)
    url = f"{API}/availability/{week['id']}"
    assert client.get(url, headers=officer.headers).json()["officer"]["id"] == \
        officer_id(client, officer)
    assert client.get(url, headers=manager.headers).status_code == 200
    assert client.get(url, headers=make.officer(council).headers).status_code == 403


def test_approving_a_week_that_has_started_is_refused(client, officer, manager):
    week = listed(client, officer, "2026-W49", 7.5)
    with clock.travel_to(date(2026, 11, 30)):
        response = approve(client, manager, week["id"])
        assert response.status_code == 422
        assert "has started" in response.json()["detail"]
        assert reject(client, manager, week["id"], "Too late").status_code == 200


def test_approvals_list_the_councils_pending_weeks_with_officers(client, make, council, manager,
                                                                 officer):
    other = make.officer(council, name="Ann Other")
    a = listed(client, officer, "2026-W51", 2)
    b = listed(client, other, "2026-W50", 3)
    c = listed(client, other, "2026-W52", 4)
    approve(client, manager, c["id"])
    make_away = make.officer(make.council())
    listed(client, make_away, "2026-W50", 5)
    pending = client.get(f"{API}/approvals?status=pending", headers=manager.headers).json()
    assert [(i["id"], i["officer"]["display_name"]) for i in pending["items"]] == [
        (b["id"], "Ann Other"), (a["id"], "Olu Officer")]
    assert pending["items"][0]["working_days"] == 5
    approved = client.get(f"{API}/approvals?status=approved", headers=manager.headers).json()
    assert [i["id"] for i in approved["items"]] == [c["id"]]
    first = client.get(f"{API}/approvals?limit=1", headers=manager.headers).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    second = client.get(f"{API}/approvals?limit=1&cursor={first['next_cursor']}",
                        headers=manager.headers).json()
    assert [i["id"] for i in second["items"]] == [a["id"]]
    by_officer = client.get(f"{API}/approvals?officer_id={officer_id(client, officer)}",
                            headers=manager.headers).json()
    assert [i["id"] for i in by_officer["items"]] == [a["id"]]
    assert client.get(f"{API}/approvals?status=maybe", headers=manager.headers)\
        .status_code == 422


def test_bulk_approval_of_listed_ids(client, db, make, council, officer, manager):
    other = make.officer(council)
    a = listed(client, officer, "2026-W50", 2)
    b = listed(client, officer, "2026-W51", 3)
    c = listed(client, other, "2026-W50", 4)
    done = listed(client, other, "2026-W51", 1)
    approve(client, manager, done["id"])
    away = listed(client, make.officer(make.council()), "2026-W50", 5)
    untouched = listed(client, other, "2026-W52", 6)
    response = client.post(
        f"{API}/approvals/approve",
        json={"ids": [a["id"], b["id"], c["id"], done["id"], away["id"], a["id"]]},
        headers=manager.headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [i["id"] for i in body["approved"]] == [a["id"], b["id"], c["id"]]
    assert {i["status"] for i in body["approved"]} == {"approved"}
    assert {s["id"]: s["reason"] for s in body["skipped"]} == {
        done["id"]: "not waiting for sign-off (it is approved)",
        away["id"]: "not found",
    }
    assert row(db, untouched["id"]).status == "pending"
    assert row(db, away["id"]).status == "pending"
    # One email per officer, listing their weeks.
    told = [e for e in emails_to(db, officer) if e["subject"] == "Your hours are approved"]
    assert len(told) == 1 and "w/c 7 Dec 2026" in told[0]["body"]
    assert "w/c 14 Dec 2026" in told[0]["body"]


def test_bulk_approval_without_ids_takes_the_managers_queue(client, db, make, council, manager):
    other_manager = make.user(council, "manager")
    mine = make.officer(council)
    theirs = make.officer(council)
    nobodys = make.officer(council)
    db.get(User, mine.id).line_manager_id = manager.id
    db.get(User, theirs.id).line_manager_id = other_manager.id
    db.commit()
    a = listed(client, mine, "2026-W50", 2)
    b = listed(client, theirs, "2026-W50", 2)
    c = listed(client, nobodys, "2026-W51", 2)
    started = listed(client, mine, "2026-W49", 2)
    with clock.travel_to(date(2026, 12, 1)):
        response = client.post(f"{API}/approvals/approve", headers=manager.headers)
    assert response.status_code == 200, response.text
    assert [i["id"] for i in response.json()["approved"]] == [a["id"], c["id"]]
    assert row(db, b["id"]).status == "pending"
    assert row(db, started["id"]).status == "pending"
    theirs_done = client.post(f"{API}/approvals/approve", json={},
                              headers=other_manager.headers)
    assert [i["id"] for i in theirs_done.json()["approved"]] == [b["id"]]
    # Before W49 starts, the manager's queue still holds it.
    again = client.post(f"{API}/approvals/approve", headers=manager.headers)
    assert [i["id"] for i in again.json()["approved"]] == [started["id"]]


@pytest.mark.parametrize("body", [{"ids": []}, {"ids": ["nope"]}, {"ids": None, "x": 1},
                                  {"ids": ["00000000-0000-0000-0000-000000000000"] * 201}])
def test_bulk_approval_input_is_checked(client, manager, body):
    response = client.post(f"{API}/approvals/approve", json=body, headers=manager.headers)
    assert response.status_code == 422


def test_the_line_manager_is_asked_and_the_officer_told(client, db, make, council, manager):
    line_manager = make.user(council, "manager")
    officer = make.officer(council, name="Lee Officer")
    db.get(User, officer.id).line_manager_id = line_manager.id
    db.commit()
    week = listed(client, officer, "2026-W50", 7.5)
    asked = emails_to(db, line_manager)
    assert len(asked) == 1
    assert "Lee Officer" in asked[0]["subject"]
    assert "w/c 7 Dec 2026" in asked[0]["body"] and "7.5 hours" in asked[0]["body"]
    assert emails_to(db, manager) == []  # only the line manager
    listed(client, officer, "2026-W50", 7.5)  # no change: no second email
    listed(client, officer, "2026-W50", 5)  # lowered: nothing to sign off anew
    assert len(emails_to(db, line_manager)) == 1
    # Any manager of the council may decide, not only the line manager.
    assert approve(client, manager, week["id"]).status_code == 200
    told = emails_to(db, officer)
    assert len(told) == 1 and "approved" in told[0]["subject"]
    assert "w/c 7 Dec 2026" in told[0]["subject"]


def test_every_manager_is_asked_when_no_line_manager_is_set(client, db, make, council, manager,
                                                            officer):
    second = make.user(council, "manager", "council_admin")
    make.user(make.council(), "manager")
    listed(client, officer, "2026-W50", 2)
    assert len(emails_to(db, manager)) == 1
    assert len(emails_to(db, second)) == 1
    assert len(emails_to(db, officer)) == 0


def test_reading_a_week_agrees_with_the_lists(client, make, council, officer, manager):
    """One readable statement (issue 10): the officer reads their own week, a manager of the
    council reads it and finds it in the approvals list, a colleague without the role is told
    why (403) and another council's manager finds nothing (404)."""
    week = listed(client, officer, "2026-W50", 7.5)
    url = f"{API}/availability/{week['id']}"
    assert client.get(url, headers=officer.headers).json()["id"] == week["id"]
    assert client.get(url, headers=manager.headers).json()["id"] == week["id"]
    approvals = client.get(f"{API}/approvals", headers=manager.headers).json()["items"]
    assert week["id"] in {item["id"] for item in approvals}
    colleague = make.officer(council)
    answer = client.get(url, headers=colleague.headers)
    assert answer.status_code == 403 and "manager" in answer.json()["detail"]
    outsider = make.user(make.council(), "manager", "officer")
    assert client.get(url, headers=outsider.headers).status_code == 404
    admin = make.user(make.council(), platform_admin=True)
    assert client.get(url, headers=admin.headers).json()["id"] == week["id"]
