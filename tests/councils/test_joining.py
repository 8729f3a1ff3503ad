"""Joining the pool: the request, its single-use link, the platform admin's answer, and what
the request never reveals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.config import get_settings
from app.core import clock
from app.councils.models import CouncilSettings, Invitation, JoinAttempt, JoinRequest
from app.notifications.models import OutboxMessage
from tests.councils.helpers import emailed_link, emails_to


def ask(client, council_code, email, name="Jo Joiner", job_title="Head of HR"):
    body = {"council_code": council_code, "name": name, "job_title": job_title, "email": email}
    return client.post("/api/v1/join-requests", json=body)


def count(db, model, *where):
    db.flush()
    return db.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def outsider(make):
    return make.council(accepted=False)


@pytest.fixture
def platform(make):
    return make.user(make.council(), platform_admin=True)


def verified_request(client, db, council, email="jo@joining.example.gov.uk"):
    assert ask(client, council.code, email).status_code == 202
    token = emailed_link(db, email, "/join/verify/")
    response = client.post("/api/v1/join-requests/verify", json={"token": token})
    assert response.status_code == 200, response.text
    return db.scalar(select(JoinRequest).where(JoinRequest.email == email))


def test_the_answer_is_the_same_whatever_the_council_or_email(client, db, make, outsider):
    """Nothing tells the asker which councils have users or which emails have accounts."""
    member = make.council()
    existing = make.user(member, "booker")
    tries = [
        (outsider.code, "new.person@joining.example.gov.uk"),  # goes ahead
        (outsider.code, "new.person@joining.example.gov.uk"),  # the same again
        (member.code, "someone@member.example.gov.uk"),  # a council with users
        ("ZZZ999", "nobody@nowhere.example.gov.uk"),  # no such council
        (member.code, existing.user.email),  # an email that has an account
    ]
    answers = {(r.status_code, r.text) for r in (ask(client, *t) for t in tries)}
    assert len(answers) == 1
    status, _text = answers.pop()
    assert status == 202
    # Only real, new requests are stored; the unknown council leaves nothing behind.
    assert count(db, JoinRequest, JoinRequest.email == "new.person@joining.example.gov.uk") == 1
    assert count(db, JoinRequest, JoinRequest.email == "nobody@nowhere.example.gov.uk") == 0
    assert count(db, JoinRequest, JoinRequest.email == existing.user.email) == 0
    # What differs goes only to the mailbox's owner.
    assert len(emails_to(db, "new.person@joining.example.gov.uk")) == 1  # no second link
    assert "already have an account" in emails_to(db, existing.user.email)[0]["body"]
    assert emails_to(db, "nobody@nowhere.example.gov.uk") == []
    # Every attempt counts towards the IP's limit, valid or not.
    assert count(db, JoinAttempt, JoinAttempt.ip == "testclient") == len(tries)


def test_the_rate_limit_counts_every_attempt_per_ip(client, db, outsider, monkeypatch):
    monkeypatch.setattr(get_settings(), "join_requests_per_ip_per_hour", 3)
    codes = ["ZZZ991", outsider.code, "ZZZ992"]
    assert [ask(client, c, f"p{i}@x.example.gov.uk").status_code for i, c in enumerate(codes)] == [
        202
    ] * 3
    refused = ask(client, "ZZZ993", "p9@x.example.gov.uk")
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    with clock.travel_to(clock.now() + timedelta(hours=1, minutes=1)):
        assert ask(client, "ZZZ994", "p10@x.example.gov.uk").status_code == 202


def test_bad_input_is_refused_and_nothing_is_written(client, db, outsider):
    before = count(db, JoinAttempt), count(db, JoinRequest), count(db, OutboxMessage)
    for body in (
        {"council_code": outsider.code, "name": "Jo", "job_title": "HR", "email": "not-an-email"},
        {"council_code": "lower", "name": "Jo", "job_title": "HR", "email": "jo@x.gov.uk"},
        {"council_code": outsider.code, "name": "", "job_title": "HR", "email": "jo@x.gov.uk"},
        {"council_code": outsider.code, "name": "Jo", "email": "jo@x.gov.uk"},
        {
            "council_code": outsider.code,
            "name": "Jo",
            "job_title": "HR",
            "email": "jo@x.gov.uk",
            "extra": 1,
        },
    ):
        response = client.post("/api/v1/join-requests", json=body)
        assert response.status_code == 422, body
        assert response.json()["errors"]
    assert (count(db, JoinAttempt), count(db, JoinRequest), count(db, OutboxMessage)) == before


def test_the_link_verifies_once_and_only_then_reaches_the_platform_admins(
    client, db, outsider, platform
):
    assert ask(client, outsider.code, "jo@joining.example.gov.uk").status_code == 202
    listed = client.get("/api/v1/join-requests", headers=platform.headers).json()["items"]
    assert listed == []  # not verified yet: nobody sees it
    token = emailed_link(db, "jo@joining.example.gov.uk", "/join/verify/")
    row = db.scalar(select(JoinRequest).where(JoinRequest.email == "jo@joining.example.gov.uk"))
    assert row.token_hash != token and len(row.token_hash) == 64  # stored as a digest only
    verified = client.post("/api/v1/join-requests/verify", json={"token": token})
    assert verified.json() == {"council_name": outsider.name, "status": "pending"}
    again = client.post("/api/v1/join-requests/verify", json={"token": token})
    assert again.status_code == 409
    unknown = client.post("/api/v1/join-requests/verify", json={"token": "x" * 43})
    assert unknown.status_code == 404
    [item] = client.get("/api/v1/join-requests", headers=platform.headers).json()["items"]
    assert item["council"]["code"] == outsider.code
    assert item["council_state"] == "requested"
    assert item["email_has_account"] is False
    assert any(platform.user.email == m["to"] for m in _emails(db))


def _emails(db):
    db.flush()
    return [row.payload for row in db.scalars(select(OutboxMessage))]


def test_an_expired_link_is_refused_and_asking_again_sends_a_new_one(client, db, outsider):
    assert ask(client, outsider.code, "jo@joining.example.gov.uk").status_code == 202
    first = emailed_link(db, "jo@joining.example.gov.uk", "/join/verify/")
    with clock.travel_to(clock.now() + timedelta(hours=25)):
        expired = client.post("/api/v1/join-requests/verify", json={"token": first})
        assert expired.status_code == 409
        assert ask(client, outsider.code, "jo@joining.example.gov.uk").status_code == 202
        second = emailed_link(db, "jo@joining.example.gov.uk", "/join/verify/")
        assert second != first
        assert (
            client.post("/api/v1/join-requests/verify", json={"token": second}).status_code == 200
        )
    assert count(db, JoinRequest, JoinRequest.council_id == outsider.id) == 1


def test_approval_sets_the_domains_and_invites_the_first_council_admin(
    client, db, outsider, platform
):
    row = verified_request(client, db, outsider)
    url = f"/api/v1/join-requests/{row.id}/approve"
    wrong = client.post(url, json={"email_domains": ["elsewhere.gov.uk"]}, headers=platform.headers)
    assert wrong.status_code == 422
    assert db.get(CouncilSettings, outsider.id).email_domains == []
    assert count(db, Invitation, Invitation.council_id == outsider.id) == 0
    approved = client.post(
        url, json={"email_domains": ["joining.example.gov.uk"]}, headers=platform.headers
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["council_state"] == "invited"
    invitation = db.scalar(select(Invitation).where(Invitation.council_id == outsider.id))
    assert invitation.roles == ["council_admin"] and invitation.email == row.email
    token = emailed_link(db, row.email, "/invitations/")
    accepted = client.post(
        f"/api/v1/invitations/{token}/accept", json={"password": "a-long-password-2026"}
    )
    assert accepted.status_code == 200
    assert accepted.json()["user"]["roles"] == ["council_admin"]
    twice = client.post(
        url, json={"email_domains": ["joining.example.gov.uk"]}, headers=platform.headers
    )
    assert twice.status_code == 409


def test_decline_emails_the_reason(client, db, outsider, platform):
    row = verified_request(client, db, outsider)
    response = client.post(
        f"/api/v1/join-requests/{row.id}/decline",
        json={"reason": "Your council is joining through its shared service."},
        headers=platform.headers,
    )
    assert response.status_code == 200 and response.json()["status"] == "declined"
    # Picked by subject: rows have no order of their own (PostgreSQL put the later row where
    # an earlier test's rolled-back rows had left room, and returned it first).
    sent = emails_to(db, row.email)
    assert len(sent) == 2
    [declined] = [m for m in sent if m["subject"].startswith("Your request for ")]
    assert "joining through its shared service" in declined["body"]
    assert (
        client.post(
            f"/api/v1/join-requests/{row.id}/decline",
            json={"reason": "x"},
            headers=platform.headers,
        ).status_code
        == 409
    )


def test_the_register_lists_every_council_without_saying_who_joined(client, make, outsider):
    member = make.council()
    make.user(member, "booker")
    response = client.get("/api/v1/register/councils")
    assert response.status_code == 200
    entries = {c["code"]: c for c in response.json()["councils"]}
    assert {outsider.code, member.code} <= entries.keys()
    assert (
        entries[member.code].keys() == entries[outsider.code].keys() == {"code", "name", "nation"}
    )
