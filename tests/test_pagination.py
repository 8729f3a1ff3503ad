"""Pagination, table-driven: every paginated list is walked to page 3 on both engines, and a
cursor that does not decode or verify answers 400 (never 500).

A new list endpoint joins by adding a row to LISTS; the meta-test fails when a route whose
response model is a Page is neither in LISTS nor in NOT_PAGED.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest

from app.auth import service as auth
from app.bookings import service as bookings
from app.core import clock
from app.core.isoweek import Week
from app.core.pagination import BadCursor, _mac, decode_cursor, encode_cursor
from app.invoicing import service as invoicing
from app.notifications import service as notifications
from tests.councils.helpers import emailed_link
from tests.factories import Factory, Member, approved_week

TODAY = date(2026, 11, 25)
WEEKS = ("2026-W50", "2026-W51", "2026-W52")
ROWS = 7  # more than three pages of two
LIMIT = 2

# Lists that answer a Page but are not paged: each is small and bounded by nature.
NOT_PAGED = {
    "/api/v1/skills": "the seeded taxonomy, read whole by the profile page",
    "/api/v1/auth/tokens": "one person's own API tokens",
    "/api/v1/auth/sessions": "one person's own live sessions (a handful: idle ones expire)",
    "/api/v1/officers/me/availability": "the officer's weeks in a from/to range",
    "/api/v1/officers/me/availability/plan": "the weeks a plan just wrote (POST)",
    "/api/v1/agreement/versions": "the agreement's published versions: a handful",
}

Setup = Callable[[Factory, Any, Any], tuple[Member, str]]


@dataclass(frozen=True)
class Paged:
    path: str  # the route's path, as in the OpenAPI document
    setup: Setup  # makes more than three pages of rows; returns (who asks, the URL to ask)


def _unique_word() -> str:
    return "pw" + uuid.uuid4().hex[:10]


def _councils(make, _db, _client):
    member = make.user(make.council(), "booker")
    for _ in range(ROWS):
        make.council()
    return member, "/api/v1/councils"


def _invitations(make, _db, client):
    council = make.council()
    admin = make.user(council, "council_admin")
    for n in range(ROWS):
        response = client.post(
            f"/api/v1/councils/{council.id}/invitations",
            json={"email": f"person{n}@example.gov.uk", "name": f"Person {n}", "roles": []},
            headers=admin.headers,
        )
        assert response.status_code == 201, response.text
    return admin, f"/api/v1/councils/{council.id}/invitations"


def _users(make, _db, _client):
    council = make.council()
    admin = make.user(council, "council_admin")
    for _ in range(ROWS):
        make.user(council, "booker", name="Same Name")  # ties on the name: the id decides
    return admin, f"/api/v1/councils/{council.id}/users"


def _officers(make, _db, _client):
    council = make.council()
    for _ in range(ROWS):
        make.officer(council, name="Same Name")
    return make.user(council, "manager"), "/api/v1/officers"


def _audit(make, db, client):
    admin, _path = _invitations(make, db, client)  # an audit event per invitation
    return admin, "/api/v1/audit"


def _approvals(make, _db, client):
    council = make.council()
    officer = make.officer(council)
    start = Week("2027-W02")
    for n in range(ROWS):
        response = client.put(
            f"/api/v1/officers/me/availability/{start.plus(n)}",
            json={"hours": 2},
            headers=officer.headers,
        )
        assert response.status_code == 200, response.text
    return make.user(council, "manager"), "/api/v1/approvals?status=pending"


def _permissions(make, _db, client):
    council = make.council()
    officer = make.officer(council)
    manager = make.user(council, "manager")
    officer_id = client.get("/api/v1/officers/me", headers=officer.headers).json()["id"]
    for n in range(ROWS):
        response = client.post(
            f"/api/v1/officers/{officer_id}/permissions",
            json={"max_hours_per_week": 1 + n, "valid_from": f"2027-0{1 + n % 6}-0{1 + n}"},
            headers=manager.headers,
        )
        assert response.status_code == 201, response.text
    return manager, f"/api/v1/officers/{officer_id}/permissions"


def _search(make, db, _client):
    lender = make.council()
    manager = make.user(lender, "manager")
    word = _unique_word()
    for n in range(3):
        officer = make.officer(lender, name=f"Walker {word} {n}")
        for week in WEEKS:
            approved_week(db, officer, manager, week, 4)
    booker = make.user(make.council(), "booker")
    return booker, f"/api/v1/search/officers?q={word}"


def _lender_with_weeks(make, db):
    lender = make.council()
    officer = make.officer(lender)
    manager = make.user(lender, "manager")
    rows = [approved_week(db, officer, manager, week, 10) for week in WEEKS]
    return lender, officer, manager, rows[0].officer_id


def _bookings(make, db, _client):
    _lender, _officer, _manager, officer_id = _lender_with_weeks(make, db)
    booker = make.user(make.council(), "booker")
    actor = auth.actor_for(booker.user, "token")
    for n in range(ROWS):
        bookings.request_booking(db, actor, officer_id, Week(WEEKS[n % 3]), 30, "Work", None)
    db.commit()
    return booker, "/api/v1/bookings?side=booking"


def _invoices(make, db, _client):
    lender, officer, _manager, officer_id = _lender_with_weeks(make, db)
    finance = make.user(lender, "finance")
    bookers = [make.user(make.council(), "booker") for _ in range(ROWS)]  # a draft each
    made = []
    for booker in bookers:
        actor = auth.actor_for(booker.user, "token")
        booking = bookings.request_booking(db, actor, officer_id, Week(WEEKS[0]), 30, "Work", None)
        bookings.confirm(db, auth.actor_for(officer.user, "token"), booking.id)
        made.append((actor, booking.id))
    with clock.travel_to(date(2027, 1, 6)):
        for actor, booking_id in made:
            bookings.complete(db, actor, booking_id, 30)
        drafts = invoicing.run_recharge(db, auth.actor_for(finance.user, "token"), "2026-12")
    assert len(drafts) == ROWS
    db.commit()
    return finance, "/api/v1/invoices?direction=outgoing"


def _acceptances(make, _db, _client):
    for _ in range(ROWS):
        make.council()  # each accepts the current version
    return make.user(make.council(), "booker"), "/api/v1/agreement/acceptances"


def _join_requests(make, db, client):
    joining = make.council(accepted=False)
    for n in range(ROWS):
        email = f"joiner{n}.{uuid.uuid4().hex[:6]}@joining.example.gov.uk"
        body = {"council_code": joining.code, "name": f"Joiner {n}", "job_title": "Clerk",
                "email": email}
        assert client.post("/api/v1/join-requests", json=body).status_code == 202
        token = emailed_link(db, email, "/join/verify/")
        verified = client.post("/api/v1/join-requests/verify", json={"token": token})
        assert verified.status_code == 200, verified.text
    platform = make.user(make.council(), platform_admin=True)
    return platform, "/api/v1/join-requests?status=pending"


def _platform_councils(make, _db, _client):
    for _ in range(ROWS):
        make.council()
    return make.user(make.council(), platform_admin=True), "/api/v1/platform/councils"


def _notifications(make, db, _client):
    member = make.user(make.council(), "booker")
    for n in range(ROWS):
        notifications.queue_email(db, member.user.email, f"News {n}", "Body")
    db.commit()
    return member, "/api/v1/notifications"


def _people(make, db, _client):
    lender = make.council()
    manager = make.user(lender, "manager")
    word = _unique_word()
    for n in range(ROWS):
        officer = make.officer(lender, name=f"Walker {word} {n}")
        approved_week(db, officer, manager, WEEKS[n % 3], 4)
    return make.user(make.council(), "booker"), f"/api/v1/search/people?q={word}"


HELP = {
    "title": "Help",
    "description": "x",
    "skills": ["town-planning"],
    "from_week": WEEKS[0],
    "to_week": WEEKS[-1],
    "hours_per_week": 1,
    "closes_on": "2026-12-01",
}


def _requests(make, _db, client):
    booker = make.user(make.council(), "booker")
    for _ in range(ROWS):
        response = client.post("/api/v1/requests", json=HELP, headers=booker.headers)
        assert response.status_code == 201, response.text
    return booker, "/api/v1/requests?council=mine"


def _offers(make, _db, client):
    booker = make.user(make.council(), "booker")
    request = client.post("/api/v1/requests", json=HELP, headers=booker.headers).json()["id"]
    lender = make.council()
    for _ in range(ROWS):
        officer = make.officer(lender, skills=["town-planning"])
        response = client.post(
            f"/api/v1/requests/{request}/offers",
            json={"weeks": [{"week": WEEKS[0], "hours": 1}]},
            headers=officer.headers,
        )
        assert response.status_code == 201, response.text
    return booker, f"/api/v1/requests/{request}/offers"


def _request_messages(make, _db, client):
    booker = make.user(make.council(), "booker")
    request = client.post("/api/v1/requests", json=HELP, headers=booker.headers).json()["id"]
    for n in range(ROWS):
        response = client.post(
            f"/api/v1/requests/{request}/messages", json={"text": f"Note {n}"},
            headers=booker.headers,
        )
        assert response.status_code == 201, response.text
    return booker, f"/api/v1/requests/{request}/messages"


def _booking_messages(make, db, client):
    _lender, _officer, _manager, officer_id = _lender_with_weeks(make, db)
    booker = make.user(make.council(), "booker")
    booking = bookings.request_booking(
        db, auth.actor_for(booker.user, "token"), officer_id, Week(WEEKS[0]), 30, "Work", None
    )
    db.commit()
    for n in range(ROWS):
        response = client.post(
            f"/api/v1/bookings/{booking.id}/messages", json={"text": f"Note {n}"},
            headers=booker.headers,
        )
        assert response.status_code == 201, response.text
    return booker, f"/api/v1/bookings/{booking.id}/messages"


def _saved_searches(make, _db, client):
    booker = make.user(make.council(), "booker")
    for n in range(ROWS):
        response = client.post(
            "/api/v1/saved-searches", json={"name": f"S{n}", "query": {}}, headers=booker.headers
        )
        assert response.status_code == 201, response.text
    return booker, "/api/v1/saved-searches"


LISTS = [
    Paged("/api/v1/councils", _councils),
    Paged("/api/v1/councils/{council_id}/invitations", _invitations),
    Paged("/api/v1/councils/{council_id}/users", _users),
    Paged("/api/v1/officers", _officers),
    Paged("/api/v1/audit", _audit),
    Paged("/api/v1/approvals", _approvals),
    Paged("/api/v1/officers/{officer_id}/permissions", _permissions),
    Paged("/api/v1/search/officers", _search),
    Paged("/api/v1/bookings", _bookings),
    Paged("/api/v1/invoices", _invoices),
    Paged("/api/v1/agreement/acceptances", _acceptances),
    Paged("/api/v1/join-requests", _join_requests),
    Paged("/api/v1/platform/councils", _platform_councils),
    Paged("/api/v1/notifications", _notifications),  # market (issue 13)
    Paged("/api/v1/search/people", _people),
    Paged("/api/v1/requests", _requests),
    Paged("/api/v1/requests/{request_id}/offers", _offers),
    Paged("/api/v1/requests/{request_id}/messages", _request_messages),
    Paged("/api/v1/bookings/{booking_id}/messages", _booking_messages),
    Paged("/api/v1/saved-searches", _saved_searches),
]


@pytest.fixture(autouse=True)
def _today():
    with clock.travel_to(TODAY):
        yield


def _with(url: str, **params: Any) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}{'&' if '?' in url else '?'}{query}"


def _ids(items: list[dict[str, Any]]) -> list[str]:
    """What identifies an item of any list (search hits are per officer-week, acceptances per
    council)."""
    return [
        item.get("id")
        or item.get("availability_id")
        or (item.get("officer") or {}).get("id")  # people search: one item per officer
        or item["council"]["id"]
        for item in items
    ]


@pytest.mark.parametrize("listed", LISTS, ids=lambda p: p.path)
def test_every_list_walks_to_page_three(client, make, db, listed):
    member, url = listed.setup(make, db, client)
    seen: list[str] = []
    cursor = None
    for page in range(1, 4):
        params = {"limit": LIMIT, **({"cursor": cursor} if cursor else {})}
        response = client.get(_with(url, **params), headers=member.headers)
        assert response.status_code == 200, f"page {page}: {response.text}"
        body = response.json()
        assert len(body["items"]) == LIMIT, f"page {page}"
        seen += _ids(body["items"])
        cursor = body["next_cursor"]
        assert cursor, f"page {page} has no next_cursor"
    assert len(set(seen)) == len(seen), "an item came twice"
    whole = client.get(_with(url, limit=3 * LIMIT), headers=member.headers).json()
    assert _ids(whole["items"]) == seen  # the pages, joined, are the list in one go


def _is_page(schema: dict[str, Any], components: dict[str, Any]) -> bool:
    ref = schema.get("$ref", "")
    resolved = components.get(ref.rsplit("/", 1)[-1], {}) if ref else schema
    return {"items", "next_cursor"} <= set(resolved.get("properties", {}))


def test_every_paginated_endpoint_is_in_the_table(app):
    """Paginated endpoints are those whose answer is a Page ({"items", "next_cursor"})."""
    document = app.openapi()
    components = document["components"]["schemas"]
    paged = {
        path
        for path, operations in document["paths"].items()
        for operation in operations.values()
        for status, response in operation.get("responses", {}).items()
        if status.startswith("2")
        and _is_page(
            response.get("content", {}).get("application/json", {}).get("schema", {}),
            components,
        )
    }
    assert "/api/v1/bookings" in paged  # the detection itself works
    covered = {listed.path for listed in LISTS} | set(NOT_PAGED)
    missing = paged - covered
    assert not missing, f"add these paginated endpoints to LISTS: {sorted(missing)}"
    stale = covered - paged
    assert not stale, f"no longer paginated, remove from the table: {sorted(stale)}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode()


GARBAGE = {
    "not base64": "!!!",
    "not json": _b64(b"\xff\xfe not json"),
    "empty list": _b64(b"[]"),
    "huge float": _b64(b"[1e400, 1, \"00000000-0000-0000-0000-000000000000\", \"2027-W01\"]"),
    "huge int": _b64(json.dumps([10**30, 10**30, str(uuid.uuid4()), "2027-W01"]).encode()),
    "bad date": _b64(json.dumps(["2026-13-45T99:00:00", str(uuid.uuid4())]).encode()),
    "nul byte": _b64(json.dumps(["a\u0000b", str(uuid.uuid4())]).encode()),
    "object": _b64(b'{"a": 1}'),
    "short": "QQ",
}


@pytest.mark.parametrize("listed", LISTS, ids=lambda p: p.path)
def test_a_cursor_that_does_not_decode_answers_400(client, make, db, listed):
    member, url = listed.setup(make, db, client)
    for name, cursor in GARBAGE.items():
        response = client.get(_with(url, cursor=cursor), headers=member.headers)
        assert response.status_code in (400, 422), f"{name}: {response.text}"
        if response.status_code == 400:
            assert response.headers["content-type"].startswith("application/problem+json")
            assert response.json()["type"] == "/problems/bad-cursor", name
        else:  # refused by the query's own pattern before it reaches the decoder
            assert name == "not base64", name


@pytest.mark.parametrize("listed", LISTS, ids=lambda p: p.path)
def test_a_tampered_cursor_answers_400(client, make, db, listed):
    member, url = listed.setup(make, db, client)
    first = client.get(_with(url, limit=LIMIT), headers=member.headers).json()
    cursor = first["next_cursor"]
    raw = bytearray(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    raw[-2] ^= 0x01  # one bit of the encoded values
    tampered = _b64(bytes(raw)).rstrip("=")
    response = client.get(_with(url, cursor=tampered), headers=member.headers)
    assert response.status_code == 400, response.text
    assert response.json()["type"] == "/problems/bad-cursor"


def test_a_cursor_from_another_list_answers_400(client, make, db):
    member, url = _invitations(make, db, client)
    cursor = client.get(_with(url, limit=LIMIT), headers=member.headers).json()["next_cursor"]
    response = client.get(_with("/api/v1/audit", cursor=cursor), headers=member.headers)
    assert response.status_code == 400, response.text


def test_cursor_values_survive_the_round_trip():
    """Each key type decodes back to the same value and type it was encoded from."""
    values = [datetime(2026, 11, 25, 12, 30, 1, 123456, tzinfo=UTC), date(2026, 12, 7),
              uuid.uuid4(), 42, "2026-W50"]
    kinds = [datetime, date, uuid.UUID, int, str]
    decoded = decode_cursor("scope", encode_cursor("scope", values), kinds)
    assert decoded == values
    assert [type(v) for v in decoded] == [type(v) for v in values]


SIGNED_BUT_WRONG = {
    "huge float": (b"[1e400]", [int]),
    "huge int": (b"[100000000000000000000000000000]", [int]),
    "bool for int": (b"[true]", [int]),
    "float for int": (b"[1.5]", [int]),
    "bad date": (b'["2026-13-45"]', [date]),
    "naive timestamp": (b'["2026-11-25T12:00:00"]', [datetime]),
    "bad uuid": (b'["not-a-uuid"]', [uuid.UUID]),
    "nul byte": (b'["a\\u0000b"]', [str]),
    "too few": (b"[1]", [int, int]),
    "not a list": (b'{"a": 1}', [int]),
    "not json": (b"\xff", [int]),
}


@pytest.mark.parametrize("name", SIGNED_BUT_WRONG)
def test_a_signed_cursor_of_the_wrong_types_is_refused(name):
    """Even with the key (a leaked secret, a bug), values decode to their types or not at all."""
    payload, kinds = SIGNED_BUT_WRONG[name]
    cursor = base64.urlsafe_b64encode(_mac("scope", payload) + payload).decode()
    with pytest.raises(BadCursor):
        decode_cursor("scope", cursor, kinds)
