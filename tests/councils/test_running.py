"""A council running itself and the platform's pages: council states, corrections, pool
health, invitations resent and revoked, people by role, the audit trail and its CSV, home."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from app.core import clock
from app.councils.models import Council
from tests.bookings.conftest import book
from tests.councils.helpers import emailed_link

TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def _today():
    with clock.travel_to(TODAY):
        yield


@pytest.fixture
def platform(make):
    return make.user(make.council(), platform_admin=True)


def state(client, platform, council):
    response = client.get(f"/api/v1/platform/councils/{council.id}", headers=platform.headers)
    assert response.status_code == 200, response.text
    return response.json()["state"]


def test_every_council_has_a_state(client, db, make, platform):
    fresh = make.council(accepted=False)
    assert state(client, platform, fresh) == "not_joined"
    body = {"council_code": fresh.code, "name": "Jo", "job_title": "HR", "email": "jo@f.gov.uk"}
    client.post("/api/v1/join-requests", json=body)
    assert state(client, platform, fresh) == "not_joined"  # not verified yet
    token = emailed_link(db, "jo@f.gov.uk", "/join/verify/")
    client.post("/api/v1/join-requests/verify", json={"token": token})
    assert state(client, platform, fresh) == "requested"
    admin = make.user(fresh, "council_admin")
    assert state(client, platform, fresh) == "invited"
    client.post(f"/api/v1/councils/{fresh.id}/agreement", headers=admin.headers)
    assert state(client, platform, fresh) == "member"
    client.delete(f"/api/v1/councils/{fresh.id}/agreement", headers=admin.headers)
    assert state(client, platform, fresh) == "left"
    listed = client.get(
        f"/api/v1/platform/councils?state=left&q={fresh.code}", headers=platform.headers
    ).json()["items"]
    assert [c["code"] for c in listed] == [fresh.code]
    assert listed[0]["people"] == 1
    assert (
        client.get("/api/v1/platform/councils?state=nope", headers=platform.headers).status_code
        == 422
    )


def test_a_platform_admin_corrects_a_council(client, db, make, platform):
    council = make.council()
    other = make.council()
    url = f"/api/v1/councils/{council.id}"
    changed = client.patch(
        url, json={"name": "North Shire Council", "gss_code": "E06000999"}, headers=platform.headers
    )
    assert changed.status_code == 200 and changed.json()["name"] == "North Shire Council"
    for body, status in (
        ({"name": None}, 422),
        ({"code": "lower"}, 422),
        ({"nation": "Mercia"}, 422),
        ({"gss_code": "X1"}, 422),
        ({"unknown": 1}, 422),
        ({"code": other.code, "name": "Should not stick"}, 409),
    ):
        response = client.patch(url, json=body, headers=platform.headers)
        assert response.status_code == status, body
    db.expire_all()
    row = db.get(Council, council.id)
    assert (row.name, row.gss_code) == ("North Shire Council", "E06000999")
    history = client.get(
        f"/api/v1/audit?entity=council&entity_id={council.id}", headers=platform.headers
    ).json()["items"]
    assert history[0]["action"] == "council.update"
    assert history[0]["actor_name"] == platform.user.name


def test_pool_health_counts_members_hours_and_bookings(client, make, pool, platform):
    before = client.get("/api/v1/platform/pool", headers=platform.headers).json()
    assert before["quarter_first"] == "2026-10-01" and before["month"] == "2026-11"
    assert before["member_councils"] >= 2 and before["officers_listed"] >= 1
    assert before["hours_listed"] >= 10
    # A booking in a December week counts in December, not November.
    assert book(client, pool, hours=2).status_code == 201
    with clock.travel_to(date(2026, 12, 2)):
        december = client.get("/api/v1/platform/pool", headers=platform.headers).json()
    assert december["month"] == "2026-12"
    assert december["bookings"] >= 1 and december["booked_pence"] >= 2 * 4500 * 0


def test_invitations_are_resent_with_a_new_link_or_revoked(client, db, make):
    council = make.council(email_domains=["resend.gov.uk"])
    admin = make.user(council, "council_admin")
    invitation = client.post(
        f"/api/v1/councils/{council.id}/invitations",
        json={"email": "new@resend.gov.uk", "name": "New", "roles": ["officer"]},
        headers=admin.headers,
    ).json()
    first = emailed_link(db, "new@resend.gov.uk", "/invitations/")
    resent = client.post(f"/api/v1/invitations/{invitation['id']}/resend", headers=admin.headers)
    assert resent.status_code == 200
    second = emailed_link(db, "new@resend.gov.uk", "/invitations/")
    assert second != first
    body = {"password": "a-long-password-2026"}
    assert client.post(f"/api/v1/invitations/{first}/accept", json=body).status_code == 404
    revoked = client.delete(f"/api/v1/invitations/{invitation['id']}", headers=admin.headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert client.post(f"/api/v1/invitations/{second}/accept", json=body).status_code == 404
    listed = client.get(f"/api/v1/councils/{council.id}/invitations", headers=admin.headers)
    assert listed.json()["items"] == []
    again = client.post(
        f"/api/v1/councils/{council.id}/invitations",
        json={"email": "new@resend.gov.uk", "name": "New", "roles": ["officer"]},
        headers=admin.headers,
    )
    assert again.status_code == 201  # revoked: they can be invited again
    actions = [
        e["action"]
        for e in client.get(
            f"/api/v1/audit?entity=invitation&entity_id={invitation['id']}", headers=admin.headers
        ).json()["items"]
    ]
    assert actions == ["invitation.revoke", "invitation.resend", "invitation.create"]


def test_people_filtered_by_role(client, make):
    council = make.council()
    admin = make.user(council, "council_admin")
    manager = make.user(council, "manager")
    make.officer(council)
    url = f"/api/v1/councils/{council.id}/users"
    managers = client.get(f"{url}?role=manager", headers=admin.headers).json()["items"]
    assert [u["id"] for u in managers] == [str(manager.id)]
    assert client.get(f"{url}?role=king", headers=admin.headers).status_code == 422
    client.patch(f"/api/v1/users/{manager.id}", json={"active": False}, headers=admin.headers)
    inactive = client.get(f"{url}?active=false", headers=admin.headers).json()["items"]
    assert [u["id"] for u in inactive] == [str(manager.id)]


def test_audit_filters_by_person_and_days_and_exports_safe_csv(client, make):
    council = make.council()
    admin = make.user(council, "council_admin", name='=HYPERLINK("http://x")')
    finance = make.user(council, "finance")
    outsider = make.user(make.council(), "council_admin")
    client.post(
        f"/api/v1/councils/{council.id}/invitations",
        json={"email": "a@example.gov.uk", "name": "@SUM(1)", "roles": ["officer"]},
        headers=admin.headers,
    )
    with clock.travel_to(date(2026, 12, 3)):
        client.patch(
            f"/api/v1/councils/{council.id}/settings",
            json={"po_required": True},
            headers=admin.headers,
        )
    base = "/api/v1/audit"
    mine = client.get(f"{base}?actor={admin.id}", headers=finance.headers).json()["items"]
    made_by_test = {"api_token.create"}
    actions = [e["action"] for e in mine if e["action"] not in made_by_test]
    assert actions == ["council_settings.update", "invitation.create"]
    december = client.get(f"{base}?from=2026-12-01&to=2026-12-31", headers=finance.headers)
    assert [e["action"] for e in december.json()["items"]] == ["council_settings.update"]
    assert (
        client.get(f"{base}?from=2026-12-31&to=2026-12-01", headers=finance.headers).status_code
        == 422
    )
    assert client.get(f"{base}?from=0", headers=finance.headers).status_code == 422
    people = client.get(f"{base}/people", headers=finance.headers).json()
    assert {p["user_id"] for p in people} == {str(admin.id), str(finance.id)}
    # Another council's events are not there for its admin.
    theirs = client.get(f"{base}?actor={admin.id}", headers=outsider.headers).json()["items"]
    assert theirs == []

    exported = client.get(f"{base}.csv?actor={admin.id}", headers=finance.headers)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0] == [
        "at",
        "actor_name",
        "actor_user_id",
        "action",
        "entity",
        "entity_id",
        "summary",
    ]
    actions = [r[3] for r in rows[1:] if r[3] not in made_by_test]
    assert actions == ["council_settings.update", "invitation.create"]
    assert all(r[1] == '\'=HYPERLINK("http://x")' for r in rows[1:])
    booker = make.user(council, "booker")
    assert client.get(f"{base}.csv", headers=booker.headers).status_code == 403


def test_home_counts_what_needs_doing(client, make, pool, platform):
    assert book(client, pool).status_code == 201

    def tasks(member):
        response = client.get("/api/v1/home", headers=member.headers)
        assert response.status_code == 200
        return {t["key"]: t["count"] for t in response.json()["tasks"]}

    assert tasks(pool.manager)["requests"] == 1
    assert tasks(pool.officer)["requests"] == 1
    assert tasks(pool.booker) == {"hours_to_record": 0}
    fresh = make.council(  # no bank details either (the factory gives them by default)
        accepted=False, bank_account_name=None, bank_sort_code=None, bank_account_number=None
    )
    admin = make.user(fresh, "council_admin")
    assert tasks(admin)["agreement"] == 1
    assert tasks(admin)["settings"] == 3
    assert tasks(platform)["join_requests"] == 0
