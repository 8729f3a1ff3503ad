from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.account import service as account
from app.auth.models import User
from app.core import clock
from app.councils import service as councils
from app.councils.models import Council, Invitation
from app.notifications.models import OutboxMessage

REGISTER = (
    Path(__file__).resolve().parents[2] / "app" / "councils" / "data" / "uk-local-authorities.csv"
)


@pytest.fixture
def council(make):
    return make.council(email_domains=["testshire.gov.uk"])


@pytest.fixture
def admin(make, council):
    return make.user(council, "council_admin")


def test_any_signed_in_user_lists_councils(client, make, council):
    booker = make.user(council, "booker")
    response = client.get("/api/v1/councils?limit=200", headers=booker.headers)
    assert response.status_code == 200
    assert {"id", "name", "code", "nation", "region"} <= response.json()["items"][0].keys()


def test_councils_list_pages_with_a_cursor(client, make, council):
    for _ in range(3):
        make.council()
    booker = make.user(council, "booker")
    first = client.get("/api/v1/councils?limit=2", headers=booker.headers).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = client.get(
        f"/api/v1/councils?limit=2&cursor={first['next_cursor']}", headers=booker.headers
    ).json()
    assert {c["id"] for c in first["items"]}.isdisjoint({c["id"] for c in second["items"]})
    bad = client.get("/api/v1/councils?cursor=bm9wZQ==", headers=booker.headers)
    assert bad.status_code == 400


def test_platform_admin_creates_a_council_with_a_unique_code(client, make, council):
    platform = make.user(council, platform_admin=True)
    body = {"name": "Newtown Council", "code": "NWT9", "nation": "Wales", "region": "Wales"}
    created = client.post("/api/v1/councils", json=body, headers=platform.headers)
    assert created.status_code == 201, created.text
    assert created.json()["code"] == "NWT9"
    again = client.post("/api/v1/councils", json=body, headers=platform.headers)
    assert again.status_code == 409


def test_only_platform_admins_create_councils(client, admin):
    body = {"name": "Newtown Council", "code": "NWT8", "nation": "Wales", "region": "Wales"}
    assert client.post("/api/v1/councils", json=body, headers=admin.headers).status_code == 403


def test_settings_read_by_finance_changed_by_admin(client, make, council, admin):
    finance = make.user(council, "finance")
    url = f"/api/v1/councils/{council.id}/settings"
    settings = client.get(url, headers=finance.headers)
    assert settings.status_code == 200
    assert settings.json()["vat_rate_bps"] == 2000
    assert settings.json()["vat_treatment"] == "standard"
    assert client.patch(url, json={"po_required": True}, headers=finance.headers).status_code == 403
    changed = client.patch(
        url, json={"po_required": True, "payment_terms_days": 14}, headers=admin.headers
    )
    assert changed.status_code == 200
    assert changed.json()["po_required"] is True
    assert changed.json()["payment_terms_days"] == 14


def test_a_vat_treatment_other_than_standard_needs_a_reason(client, council, admin):
    url = f"/api/v1/councils/{council.id}/settings"
    refused = client.patch(url, json={"vat_treatment": "outside_scope"}, headers=admin.headers)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["body", "vat_reason"]
    ok = client.patch(
        url,
        json={
            "vat_treatment": "outside_scope",
            "vat_reason": "Statutory duty, outside the scope of VAT",
        },
        headers=admin.headers,
    )
    assert ok.status_code == 200
    assert ok.json()["vat_rate_bps"] == 0


def test_agreement_accepted_by_the_council_admin(client, make):
    council = make.council(accepted=False)
    admin = make.user(council, "council_admin")
    agreement = client.get("/api/v1/agreement", headers=admin.headers).json()
    assert agreement["version"] and agreement["text"] and agreement["officer_consent_text"]
    url = f"/api/v1/councils/{council.id}/agreement"
    wrong = client.post(url, json={"version": "1999-1"}, headers=admin.headers)
    assert wrong.status_code == 422
    ok = client.post(url, json={"version": agreement["version"]}, headers=admin.headers)
    assert ok.status_code == 200
    assert ok.json()["version"] == agreement["version"]
    also_ok = client.post(url, headers=admin.headers)  # the body is optional; idempotent
    assert also_ok.status_code == 200


def test_invitation_to_another_domain_is_refused(client, council, admin, db):
    before = db.scalar(select(func.count()).select_from(Invitation))
    response = client.post(
        f"/api/v1/councils/{council.id}/invitations",
        json={"email": "someone@gmail.com", "name": "Some One", "roles": ["officer"]},
        headers=admin.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "email"]
    assert db.scalar(select(func.count()).select_from(Invitation)) == before


def _invite(client, council, admin, email="new.person@testshire.gov.uk", roles=("officer",)):
    response = client.post(
        f"/api/v1/councils/{council.id}/invitations",
        json={"email": email, "name": "New Person", "roles": list(roles)},
        headers=admin.headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


def _token_from_outbox(db, email):
    message = db.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.kind == "email")
        .order_by(OutboxMessage.created_at.desc())
    ).all()
    for row in message:
        if row.payload["to"] == email:
            return row.payload["body"].split("/invitations/")[1].split()[0]
    raise AssertionError("no invitation email queued")


def test_invitation_is_emailed_accepted_once_and_signs_in(client, council, admin, db):
    _invite(client, council, admin)
    token = _token_from_outbox(db, "new.person@testshire.gov.uk")
    accepted = client.post(
        f"/api/v1/invitations/{token}/accept", json={"password": "a-strong-password-1"}
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["user"]["roles"] == ["officer"]
    assert accepted.json()["user"]["officer_id"]
    assert client.get("/api/v1/me").status_code == 200  # signed in by the cookie
    again = client.post(
        f"/api/v1/invitations/{token}/accept", json={"password": "a-strong-password-1"}
    )
    assert again.status_code == 409
    listed = client.get(f"/api/v1/councils/{council.id}/invitations", headers=admin.headers)
    assert listed.json()["items"][0]["accepted_at"] is not None


def test_invitations_expire(client, council, admin, db):
    _invite(client, council, admin, "late@testshire.gov.uk")
    token = _token_from_outbox(db, "late@testshire.gov.uk")
    with clock.travel_to(clock.now() + timedelta(days=15)):
        response = client.post(
            f"/api/v1/invitations/{token}/accept", json={"password": "a-strong-password-1"}
        )
    assert response.status_code == 409
    assert "expired" in response.json()["detail"]


def test_unknown_invitation_token_is_404(client):
    response = client.post(
        "/api/v1/invitations/not-a-real-token/accept", json={"password": "a-strong-password-1"}
    )
    assert response.status_code == 404


def test_inviting_an_existing_user_or_twice_conflicts(client, council, admin, make):
    _invite(client, council, admin, "twice@testshire.gov.uk")
    again = client.post(
        f"/api/v1/councils/{council.id}/invitations",
        json={"email": "twice@testshire.gov.uk", "name": "X", "roles": []},
        headers=admin.headers,
    )
    assert again.status_code == 409


def test_admin_changes_roles_and_line_manager(client, make, council, admin):
    manager = make.user(council, "manager")
    person = make.user(council, "booker")
    url = f"/api/v1/users/{person.id}"
    changed = client.patch(
        url,
        json={"roles": ["booker", "officer"], "line_manager_id": str(manager.id)},
        headers=admin.headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["roles"] == ["booker", "officer"]
    assert changed.json()["line_manager_id"] == str(manager.id)
    # Becoming an officer gives them a profile.
    assert client.get("/api/v1/officers/me", headers=person.headers).status_code == 200
    not_a_manager = client.patch(
        url, json={"line_manager_id": str(admin.id)}, headers=admin.headers
    )
    assert not_a_manager.status_code == 422
    users = client.get(f"/api/v1/councils/{council.id}/users", headers=admin.headers).json()
    assert {u["email"] for u in users["items"]} >= {person.user.email, manager.user.email}


def test_a_council_keeps_one_active_admin(client, council, admin):
    response = client.patch(
        f"/api/v1/users/{admin.id}", json={"roles": ["booker"]}, headers=admin.headers
    )
    assert response.status_code == 409


def test_register_import_loads_current_councils_and_reimport_updates(db):
    first = councils.import_register(db, REGISTER)
    total = db.scalar(
        select(func.count()).select_from(Council).where(Council.gss_code.is_not(None))
    )
    assert first.created + first.unchanged + first.updated >= 390
    wbk = councils.get_council_by_code(db, "WBK")
    assert wbk.name == "West Berkshire Council" and wbk.nation == "England"
    assert wbk.region == "South East" and wbk.gss_code == "E06000037"
    wbk.region = "Somewhere else"
    db.flush()
    second = councils.import_register(db, REGISTER)
    assert second.created == 0 and second.updated == 1
    assert councils.get_council_by_code(db, "WBK").region == "South East"
    assert (
        db.scalar(select(func.count()).select_from(Council).where(Council.gss_code.is_not(None)))
        == total
    )
    nations = set(db.scalars(select(Council.nation).distinct()))
    assert nations == {"England", "Scotland", "Wales", "Northern Ireland"}


def test_new_users_are_stored_lower_case(db, council):
    user = account.add_member(db, None, council.id, "Mixed.Case@TestShire.gov.uk", "M", (), None)
    assert user.email == "mixed.case@testshire.gov.uk"
    assert db.scalar(select(User.email).where(User.id == user.id)) == user.email
