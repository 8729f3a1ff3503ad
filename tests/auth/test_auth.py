from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import AuthSession
from app.core import clock
from tests.factories import PASSWORD

LOGIN = "/api/v1/auth/login"


def login(client, email, password=PASSWORD, **kwargs):
    return client.post(LOGIN, json={"email": email, "password": password}, **kwargs)


@pytest.fixture
def officer(make):
    council = make.council()
    return make.officer(council)


def test_login_sets_a_safe_cookie_and_returns_csrf(client, officer):
    response = login(client, officer.user.email)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user"]["email"] == officer.user.email
    assert body["user"]["roles"] == ["officer"]
    assert body["csrf_token"]
    cookie = response.headers["set-cookie"]
    assert "tp_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["csrf_token"] == body["csrf_token"]


def test_unknown_email_and_wrong_password_answer_the_same(client, officer):
    wrong = login(client, officer.user.email, "not-the-password")
    unknown = login(client, "nobody@example.gov.uk", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.headers["content-type"] == "application/problem+json"


def test_email_is_case_insensitive(client, officer):
    assert login(client, officer.user.email.upper()).status_code == 200


def test_rate_limited_per_account_after_ten_failures(client, officer, db):
    for _ in range(10):
        assert login(client, officer.user.email, "wrong-password").status_code == 401
    blocked = login(client, officer.user.email)  # even the right password
    assert blocked.status_code == 429
    assert blocked.headers["content-type"] == "application/problem+json"
    with clock.travel_to(clock.now() + timedelta(minutes=16)):
        assert login(client, officer.user.email).status_code == 200


def test_success_clears_the_account_failures(client, officer):
    for _ in range(9):
        login(client, officer.user.email, "wrong-password")
    assert login(client, officer.user.email).status_code == 200
    assert login(client, officer.user.email, "wrong-password").status_code == 401
    assert login(client, officer.user.email).status_code == 200


def test_unsafe_cookie_requests_need_the_csrf_token(client, officer):
    csrf = login(client, officer.user.email).json()["csrf_token"]
    body = {
        "display_name": "New Name",
        "job_title": "",
        "summary": "",
        "skills": [],
        "visible": True,
    }
    refused = client.put("/api/v1/officers/me", json=body)
    assert refused.status_code == 403
    wrong = client.put("/api/v1/officers/me", json=body, headers={"X-CSRF-Token": "nope"})
    assert wrong.status_code == 403
    ok = client.put("/api/v1/officers/me", json=body, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200, ok.text
    assert ok.json()["display_name"] == "New Name"


def test_logout_ends_the_session(client, officer, db):
    csrf = login(client, officer.user.email).json()["csrf_token"]
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/api/v1/me").status_code == 401
    assert (
        db.scalar(
            select(func.count())
            .select_from(AuthSession)
            .where(AuthSession.user_id == officer.user.id)
        )
        == 0
    )


def test_sessions_expire_when_idle_and_absolutely(client, officer):
    start = clock.now()
    with clock.travel_to(start):
        login(client, officer.user.email)
    with clock.travel_to(start + timedelta(hours=7)):
        assert client.get("/api/v1/me").status_code == 200  # touches the session
    with clock.travel_to(start + timedelta(hours=14)):
        assert client.get("/api/v1/me").status_code == 200  # 7 h idle: still fine
    with clock.travel_to(start + timedelta(hours=22, minutes=1)):
        assert client.get("/api/v1/me").status_code == 401  # 8 h idle


def test_sessions_expire_after_seven_days_even_when_used(client, officer):
    start = clock.now()
    with clock.travel_to(start):
        login(client, officer.user.email)
    moment = start
    for _ in range(24):  # used every 7 hours for a week
        moment += timedelta(hours=7)
        with clock.travel_to(moment):
            response = client.get("/api/v1/me")
        if moment - start > timedelta(days=7):
            assert response.status_code == 401
            break
        assert response.status_code == 200


def test_api_tokens_are_shown_once_stored_hashed_and_revocable(client, officer, db):
    created = client.post(
        "/api/v1/auth/tokens", json={"name": "ledger sync"}, headers=officer.headers
    )
    assert created.status_code == 201
    token = created.json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    listed = client.get("/api/v1/auth/tokens", headers=headers).json()["items"]
    assert all("token" not in item for item in listed)
    from app.auth.models import ApiToken

    stored = db.scalars(select(ApiToken.token_hash)).all()
    assert token not in stored
    revoke = client.delete(f"/api/v1/auth/tokens/{created.json()['id']}", headers=officer.headers)
    assert revoke.status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_bearer_requests_need_no_csrf(client, officer):
    body = {"display_name": "Via Token", "skills": []}
    response = client.put("/api/v1/officers/me", json=body, headers=officer.headers)
    assert response.status_code == 200


def test_deactivated_users_cannot_sign_in_or_use_tokens(client, make):
    council = make.council()
    admin = make.user(council, "council_admin")
    person = make.user(council, "booker")
    response = client.patch(
        f"/api/v1/users/{person.id}", json={"active": False}, headers=admin.headers
    )
    assert response.status_code == 200
    assert client.get("/api/v1/me", headers=person.headers).status_code == 401
    assert login(client, person.user.email).status_code == 401


def test_not_signed_in_is_401_problem(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["status"] == 401
    assert response.headers["content-type"] == "application/problem+json"


def test_passwords_are_argon2id_with_owasp_parameters():
    from app.auth.service import hash_password, verify_password

    hashed = hash_password("a-long-password")
    assert hashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert verify_password(hashed, "a-long-password")
    assert not verify_password(hashed, "another-password")
    assert not verify_password(None, "anything")


def test_me_carries_the_servers_today_and_week(client, officer):
    """The SPA takes today from the server, never from the browser's clock."""
    with clock.travel_to(date(2027, 1, 4)):
        login(client, officer.user.email)
        body = client.get("/api/v1/me").json()
    assert body["today"] == "2027-01-04"
    assert body["current_week"] == "2027-W01"


def test_a_booker_learns_from_me_whether_their_council_needs_purchase_orders(client, make, db):
    needs = make.council()
    booker = make.user(needs, "booker")
    me = client.get("/api/v1/me", headers=booker.headers).json()
    assert me["council"]["po_required"] is False
    admin = make.user(needs, "council_admin")
    changed = client.patch(
        f"/api/v1/councils/{needs.id}/settings", json={"po_required": True}, headers=admin.headers
    )
    assert changed.status_code == 200, changed.text
    me = client.get("/api/v1/me", headers=booker.headers).json()
    assert me["council"]["po_required"] is True
    assert me["council"]["code"] == needs.code
