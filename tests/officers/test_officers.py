from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.core import clock
from tests.factories import approved_week


@pytest.fixture
def council(make):
    return make.council()


def test_skills_taxonomy_is_seeded_with_families(client, make, council):
    booker = make.user(council, "booker")
    skills = client.get("/api/v1/skills", headers=booker.headers).json()["items"]
    assert len(skills) >= 40
    slugs = {s["slug"] for s in skills}
    for expected in (
        "user-researcher",
        "town-planning",
        "highways-engineering",
        "building-control",
        "environmental-health",
        "licensing",
        "procurement",
        "elections",
        "emergency-planning",
        "human-resources",
    ):
        assert expected in slugs
    assert len({s["family"] for s in skills}) >= 8


def test_officer_edits_profile_and_skills(client, make, council):
    officer = make.officer(council, consent=False)
    body = {
        "display_name": "Dee Planner",
        "job_title": "Planning officer",
        "summary": "Major applications.",
        "skills": ["town-planning", "planning-policy"],
        "visible": True,
    }
    response = client.put("/api/v1/officers/me", json=body, headers=officer.headers)
    assert response.status_code == 200, response.text
    profile = client.get("/api/v1/officers/me", headers=officer.headers).json()
    assert profile["job_title"] == "Planning officer"
    assert [s["slug"] for s in profile["skills"]] == ["planning-policy", "town-planning"]
    assert profile["consent_current"] is False


def test_unknown_skills_are_refused(client, make, council):
    officer = make.officer(council)
    response = client.put(
        "/api/v1/officers/me",
        json={"display_name": "X", "skills": ["astrology"]},
        headers=officer.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "skills"]


def test_officer_gives_consent_to_the_current_text(client, make, council):
    officer = make.officer(council, consent=False)
    version = client.get("/api/v1/agreement", headers=officer.headers).json()["version"]
    assert (
        client.post(
            "/api/v1/officers/me/consent", json={"version": "0"}, headers=officer.headers
        ).status_code
        == 422
    )
    given = client.post(
        "/api/v1/officers/me/consent", json={"version": version}, headers=officer.headers
    )
    assert given.status_code == 200
    assert given.json()["consent_current"] is True
    assert given.json()["consent_version"] == version
    assert given.json()["consented_at"]


def test_only_officers_have_a_profile(client, make, council):
    booker = make.user(council, "booker")
    assert client.get("/api/v1/officers/me", headers=booker.headers).status_code == 403


def test_public_profile_shows_council_skills_and_rate(client, make, council):
    officer = make.officer(council, skills=["licensing"])
    other = make.council()
    booker = make.user(other, "booker")
    me = client.get("/api/v1/officers/me", headers=officer.headers).json()
    profile = client.get(f"/api/v1/officers/{me['id']}", headers=booker.headers)
    assert profile.status_code == 200
    assert profile.json()["council"]["id"] == str(council.id)
    assert profile.json()["skills"][0]["slug"] == "licensing"
    assert profile.json()["rate_pence_per_hour"] == 4500  # the council's default


def test_hidden_profiles_are_invisible_to_other_councils(client, make, council):
    officer = make.officer(council, visible=False)
    officer_id = client.get("/api/v1/officers/me", headers=officer.headers).json()["id"]
    outsider = make.user(make.council(), "booker")
    colleague = make.user(council, "manager")
    assert client.get(f"/api/v1/officers/{officer_id}", headers=outsider.headers).status_code == 404
    assert (
        client.get(f"/api/v1/officers/{officer_id}", headers=colleague.headers).status_code == 200
    )


def test_rate_is_set_only_by_the_officers_managers_or_admins(client, make, council):
    officer = make.officer(council)
    officer_id = client.get("/api/v1/officers/me", headers=officer.headers).json()["id"]
    url = f"/api/v1/officers/{officer_id}/rate"
    manager = make.user(council, "manager")
    admin = make.user(council, "council_admin")
    booker = make.user(council, "booker")
    other_manager = make.user(make.council(), "manager")
    assert (
        client.put(url, json={"rate_pence_per_hour": 1}, headers=officer.headers).status_code == 403
    )
    assert (
        client.put(url, json={"rate_pence_per_hour": 1}, headers=booker.headers).status_code == 403
    )
    assert (
        client.put(url, json={"rate_pence_per_hour": 1}, headers=other_manager.headers).status_code
        == 404
    )
    ok = client.put(url, json={"rate_pence_per_hour": 5250}, headers=manager.headers)
    assert ok.status_code == 200 and ok.json()["rate_pence_per_hour"] == 5250
    ok = client.put(url, json={"rate_pence_per_hour": 6000}, headers=admin.headers)
    assert ok.json()["rate_pence_per_hour"] == 6000
    assert (
        client.put(url, json={"rate_pence_per_hour": 60.5}, headers=admin.headers).status_code
        == 422
    )
    assert (
        client.put(url, json={"rate_pence_per_hour": -1}, headers=admin.headers).status_code == 422
    )


def test_an_officer_withdraws_consent_and_booked_hours_stand(client, make, db, council):
    """Issue 14: withdrawing stops new listings (409, as before consenting), hides the profile
    from other councils and from search, is audited, and leaves bookings made before alone."""
    with clock.travel_to(date(2026, 11, 25)):
        officer = make.officer(council)
        manager = make.user(council, "manager")
        approved_week(db, officer, manager, "2026-W50", 10)
        officer_id = client.get("/api/v1/officers/me", headers=officer.headers).json()["id"]
        booker = make.user(make.council(), "booker")
        booking = client.post(
            "/api/v1/bookings", headers=booker.headers,
            json={"officer_id": officer_id, "week": "2026-W50", "hours": 2, "purpose": "x"},
        ).json()

        withdrawn = client.delete("/api/v1/officers/me/consent", headers=officer.headers)
        assert withdrawn.status_code == 200, withdrawn.text
        profile = withdrawn.json()
        assert profile["consent_version"] is None and profile["consented_at"] is None
        assert profile["consent_current"] is False and profile["visible"] is False

        more = client.put("/api/v1/officers/me/availability/2026-W51", json={"hours": 3},
                          headers=officer.headers)
        assert more.status_code == 409
        assert "consent" in more.json()["detail"]
        hidden = client.get(f"/api/v1/officers/{officer_id}", headers=booker.headers)
        assert hidden.status_code == 404
        found = client.get("/api/v1/search/officers?week=2026-W50", headers=booker.headers)
        assert officer_id not in {h["officer"]["id"] for h in found.json()["items"]}

        kept = client.get(f"/api/v1/bookings/{booking['id']}", headers=booker.headers)
        assert kept.status_code == 200 and kept.json()["status"] == "requested"
        confirmed = client.post(f"/api/v1/bookings/{booking['id']}/confirm",
                                headers=officer.headers)
        assert confirmed.status_code == 200, confirmed.text
        actions = db.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_id == uuid.UUID(officer_id))
        ).all()
        assert "officer.consent_withdraw" in actions

        again = client.post("/api/v1/officers/me/consent", headers=officer.headers)
        assert again.json()["consent_current"] is True
        assert again.json()["visible"] is False  # listed again only by choice
