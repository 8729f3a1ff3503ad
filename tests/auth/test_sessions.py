"""Your sessions (device, when, where from), ending one or every other; API tokens made with a
name, shown once, revoked."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.auth.helpers import csrf, login
from tests.factories import PASSWORD

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


def _browser(app, user_agent):
    client = TestClient(app)
    client.headers["User-Agent"] = user_agent
    return client


def test_list_sessions_and_sign_out_everywhere_else(app, make):
    member = make.user(make.council(), "booker")
    desk, phone = _browser(app, FIREFOX), _browser(app, SAFARI)
    headers = csrf(login(desk, member.user.email, PASSWORD))
    assert login(phone, member.user.email, PASSWORD).status_code == 200
    listed = desk.get("/api/v1/auth/sessions").json()
    assert {row["device"] for row in listed["items"]} == {"Firefox on Windows", "Safari on iPhone"}
    assert [row["current"] for row in listed["items"]].count(True) == 1
    assert all(row["ip"] and row["method"] == "password" for row in listed["items"])
    assert desk.post("/api/v1/auth/sessions/end-others", headers=headers).status_code == 204
    assert phone.get("/api/v1/me").status_code == 401
    assert desk.get("/api/v1/me").status_code == 200
    assert len(desk.get("/api/v1/auth/sessions").json()["items"]) == 1


def test_end_one_session_of_ones_own_but_not_anothers(app, make):
    council = make.council()
    member, other = make.user(council, "booker"), make.user(council, "booker")
    desk, phone, theirs = _browser(app, FIREFOX), _browser(app, SAFARI), _browser(app, FIREFOX)
    headers = csrf(login(desk, member.user.email, PASSWORD))
    login(phone, member.user.email, PASSWORD)
    login(theirs, other.user.email, PASSWORD)
    phone_id = next(
        row["id"] for row in desk.get("/api/v1/auth/sessions").json()["items"] if not row["current"]
    )
    their_id = theirs.get("/api/v1/auth/sessions").json()["items"][0]["id"]
    assert desk.delete(f"/api/v1/auth/sessions/{their_id}", headers=headers).status_code == 404
    assert theirs.get("/api/v1/me").status_code == 200
    assert desk.delete(f"/api/v1/auth/sessions/{phone_id}", headers=headers).status_code == 204
    assert phone.get("/api/v1/me").status_code == 401


def test_api_tokens_are_named_shown_once_and_revoked(client, make):
    member = make.user(make.council(), "booker")
    headers = csrf(login(client, member.user.email, PASSWORD))
    made = client.post("/api/v1/auth/tokens", json={"name": "Ledger export"}, headers=headers)
    assert made.status_code == 201
    token = made.json()["token"]
    listed = client.get("/api/v1/auth/tokens").json()["items"]
    named = [row for row in listed if row["name"] == "Ledger export"]
    assert named and "token" not in named[0]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 200
    revoked = client.delete(f"/api/v1/auth/tokens/{named[0]['id']}", headers=headers)
    assert revoked.status_code == 204
    client.cookies.clear()
    assert client.get("/api/v1/me", headers=bearer).status_code == 401
