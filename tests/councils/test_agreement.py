"""The s113 agreement as versioned data: councils accept the current version, bookings need
both councils on it, a council can leave (no new bookings, existing ones carry on)."""

from __future__ import annotations

from datetime import date

import pytest

from app.core import clock
from tests.bookings.conftest import WEEK, book
from tests.councils.helpers import emails_to

TODAY = date(2026, 11, 25)
NEW = {"version": "2027-1", "text": "The new agreement. " * 3, "officer_consent_text": "C" * 30}


@pytest.fixture(autouse=True)
def _today():
    with clock.travel_to(TODAY):
        yield


@pytest.fixture
def platform(make):
    return make.user(make.council(), platform_admin=True)


def search(client, pool):
    """Officers the booker finds; none when their own council may not search (403)."""
    response = client.get(f"/api/v1/search/officers?week={WEEK}", headers=pool.booker.headers)
    if response.status_code == 403:
        return []
    return [item["officer"]["id"] for item in response.json()["items"]]


def test_a_new_version_must_be_accepted_again_before_booking(client, make, pool, platform):
    assert pool.officer_id in search(client, pool)
    published = client.post("/api/v1/agreement/versions", json=NEW, headers=platform.headers)
    assert published.status_code == 201, published.text
    assert (
        client.get("/api/v1/agreement", headers=pool.booker.headers).json()["version"] == "2027-1"
    )

    refused = book(client, pool)
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/agreement-missing"
    assert pool.officer_id not in search(client, pool)

    lender_admin = make.user(pool.lender, "council_admin")
    status = client.get(
        f"/api/v1/councils/{pool.lender.id}/agreement", headers=lender_admin.headers
    )
    assert status.json()["accepted_current"] is False
    assert status.json()["accepted_version"] == "2026-1"
    old = client.post(
        f"/api/v1/councils/{pool.lender.id}/agreement",
        json={"version": "2026-1"},
        headers=lender_admin.headers,
    )
    assert old.status_code == 422
    admins = {
        pool.lender.id: lender_admin,
        pool.borrower.id: make.user(pool.borrower, "council_admin"),
    }
    for council in (pool.lender, pool.borrower):
        admin = admins[council.id]
        accepted = client.post(f"/api/v1/councils/{council.id}/agreement", headers=admin.headers)
        assert accepted.status_code == 200 and accepted.json()["version"] == "2027-1"
    status = client.get(
        f"/api/v1/councils/{pool.lender.id}/agreement", headers=lender_admin.headers
    )
    assert status.json()["accepted_current"] is True
    assert status.json()["accepted_by_name"] == lender_admin.user.name
    # The new version's consent text differs, so the officer is hidden until they consent to it.
    assert book(client, pool).status_code == 404
    consented = client.post("/api/v1/officers/me/consent", headers=pool.officer.headers)
    assert consented.status_code == 200 and consented.json()["consent_current"] is True
    assert book(client, pool).status_code == 201
    accepted = client.get("/api/v1/agreement/acceptances?limit=200", headers=pool.booker.headers)
    codes = {item["council"]["code"] for item in accepted.json()["items"]}
    assert {pool.lender.code, pool.borrower.code} <= codes


def test_leaving_stops_new_bookings_and_existing_ones_carry_on(client, make, pool):
    first = book(client, pool)
    assert first.status_code == 201
    admin = make.user(pool.lender, "council_admin")
    left = client.delete(f"/api/v1/councils/{pool.lender.id}/agreement", headers=admin.headers)
    assert left.status_code == 200 and left.json()["left_at"] is not None
    assert (
        client.delete(
            f"/api/v1/councils/{pool.lender.id}/agreement", headers=admin.headers
        ).status_code
        == 409
    )
    assert book(client, pool).status_code == 409  # to it
    assert pool.officer_id not in search(client, pool)
    members = client.get("/api/v1/councils?limit=200", headers=pool.booker.headers).json()["items"]
    assert pool.lender.code not in {c["code"] for c in members}
    # The booking made before carries on: the officer's manager confirms it.
    confirmed = client.post(
        f"/api/v1/bookings/{first.json()['id']}/confirm", headers=pool.manager.headers
    )
    assert confirmed.status_code == 200, confirmed.text
    # Rejoining is accepting the current version again.
    assert (
        client.post(
            f"/api/v1/councils/{pool.lender.id}/agreement", headers=admin.headers
        ).status_code
        == 200
    )
    assert book(client, pool).status_code == 201


def test_a_council_that_left_cannot_book_others(client, make, pool):
    admin = make.user(pool.borrower, "council_admin")
    assert (
        client.delete(
            f"/api/v1/councils/{pool.borrower.id}/agreement", headers=admin.headers
        ).status_code
        == 200
    )
    assert book(client, pool).status_code == 409  # from it


def test_officers_consent_follows_the_consent_text(client, make, pool, platform):
    same_consent = {**NEW, "officer_consent_text": _consent_text(client, pool)}
    client.post("/api/v1/agreement/versions", json=same_consent, headers=platform.headers)
    me = client.get("/api/v1/officers/me", headers=pool.officer.headers).json()
    assert me["consent_current"] is True  # the officer's text did not change
    changed = {**NEW, "version": "2027-2"}
    client.post("/api/v1/agreement/versions", json=changed, headers=platform.headers)
    me = client.get("/api/v1/officers/me", headers=pool.officer.headers).json()
    assert me["consent_current"] is False
    later = "2027-W10"
    refused = client.put(
        f"/api/v1/officers/me/availability/{later}", json={"hours": 3}, headers=pool.officer.headers
    )
    assert refused.status_code == 409
    again = client.post(
        "/api/v1/officers/me/consent", json={"version": "2027-2"}, headers=pool.officer.headers
    )
    assert again.status_code == 200 and again.json()["consent_current"] is True


def _consent_text(client, pool):
    return client.get("/api/v1/agreement", headers=pool.booker.headers).json()[
        "officer_consent_text"
    ]


def test_publishing_is_for_platform_admins_and_bad_versions_change_nothing(
    client,
    db,
    make,
    pool,
    platform,
):
    admin = make.user(pool.lender, "council_admin")
    assert (
        client.post("/api/v1/agreement/versions", json=NEW, headers=admin.headers).status_code
        == 403
    )
    for body in (
        {**NEW, "version": ""},
        {**NEW, "version": "has spaces"},
        {**NEW, "text": "short"},
        {**NEW, "unknown": 1},
        {**NEW, "version": "2026-1"},  # published already
    ):
        response = client.post("/api/v1/agreement/versions", json=body, headers=platform.headers)
        assert response.status_code == 422, body
    versions = client.get("/api/v1/agreement/versions", headers=admin.headers).json()["items"]
    assert [v["version"] for v in versions] == ["2026-1"]
    assert (
        client.post("/api/v1/agreement/versions", json=NEW, headers=platform.headers).status_code
        == 201
    )
    # The member councils' admins are asked to accept it.
    [message] = emails_to(db, admin.user.email)
    assert "Accept version 2027-1" in message["subject"]
