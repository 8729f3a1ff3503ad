"""Bad input gets a 422 (or 400) problem+json and changes nothing: rows are counted before and
after each refused request."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.models import Base

LONG = "x" * 5000


def _row_counts(db):
    return {
        table.name: db.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }


@pytest.fixture
def people(make):
    council = make.council(email_domains=["example.gov.uk"])
    return {
        "council": council,
        "admin": make.user(council, "council_admin"),
        "platform": make.user(council, platform_admin=True),
        "officer": make.officer(council),
    }


CASES = [
    # (who, method, path, body, expected status)
    (
        "platform",
        "POST",
        "/api/v1/councils",
        {"name": "A", "code": "abc", "nation": "England", "region": "London"},
        422,
    ),  # lower-case code
    (
        "platform",
        "POST",
        "/api/v1/councils",
        {"name": "A", "code": "A!", "nation": "England", "region": "London"},
        422,
    ),
    (
        "platform",
        "POST",
        "/api/v1/councils",
        {"name": "A", "code": "ABQ", "nation": "Atlantis", "region": "London"},
        422,
    ),
    (
        "platform",
        "POST",
        "/api/v1/councils",
        {"name": LONG, "code": "ABQ", "nation": "England", "region": "London"},
        422,
    ),
    (
        "platform",
        "POST",
        "/api/v1/councils",
        {"name": "A", "code": "ABQ", "nation": "England", "region": "London", "extra": 1},
        422,
    ),
    (
        "admin",
        "POST",
        "/api/v1/councils/{council}/invitations",
        {"email": "not-an-email", "name": "X", "roles": []},
        422,
    ),
    (
        "admin",
        "POST",
        "/api/v1/councils/{council}/invitations",
        {"email": "x@example.gov.uk", "name": "X", "roles": ["emperor"]},
        422,
    ),
    (
        "admin",
        "POST",
        "/api/v1/councils/{council}/invitations",
        {"email": "x@example.gov.uk", "name": "X\x00", "roles": []},
        422,
    ),
    (
        "admin",
        "POST",
        "/api/v1/councils/{council}/invitations",
        {"email": "x@example.gov.uk", "name": "X", "roles": [], "admin": True},
        422,
    ),
    ("admin", "PATCH", "/api/v1/councils/{council}/settings", {"vat_rate_bps": "20%"}, 422),
    ("admin", "PATCH", "/api/v1/councils/{council}/settings", {"vat_rate_bps": 20000}, 422),
    ("admin", "PATCH", "/api/v1/councils/{council}/settings", {"po_required": 1}, 422),
    (
        "admin",
        "PATCH",
        "/api/v1/councils/{council}/settings",
        {"email_domains": ["not a domain"]},
        422,
    ),
    ("admin", "PATCH", "/api/v1/councils/{council}/settings", {"finance_email": "nope"}, 422),
    ("admin", "PATCH", "/api/v1/councils/{council}/settings", {"colour": "red"}, 422),
    ("officer", "PUT", "/api/v1/officers/me", {"display_name": ""}, 422),
    ("officer", "PUT", "/api/v1/officers/me", {"display_name": "X", "summary": LONG}, 422),
    ("officer", "PUT", "/api/v1/officers/me", {"display_name": "X", "visible": "yes"}, 422),
    (
        "officer",
        "PUT",
        "/api/v1/officers/me",
        {"display_name": "X", "skills": "town-planning"},
        422,
    ),
    (
        "officer",
        "PUT",
        "/api/v1/officers/me",
        {"display_name": "X", "skills": ["no such skill"]},
        422,
    ),
    ("officer", "POST", "/api/v1/auth/tokens", {"name": LONG}, 422),
    ("admin", "PATCH", "/api/v1/users/not-a-uuid", {"active": True}, 422),
    # councils running themselves
    (
        "platform",
        "POST",
        "/api/v1/agreement/versions",
        {"version": "has spaces", "text": "x" * 30, "officer_consent_text": "y" * 30},
        422,
    ),
    (
        "platform",
        "POST",
        "/api/v1/agreement/versions",
        {"version": "2099-1", "text": "\u0000" * 30, "officer_consent_text": "y" * 30},
        422,
    ),
    ("platform", "PATCH", "/api/v1/councils/{council}", {"name": None}, 422),
    ("platform", "PATCH", "/api/v1/councils/{council}", {"gss_code": "nope"}, 422),
    (
        "platform",
        "POST",
        "/api/v1/join-requests/7d3f1c1e-0000-4000-8000-000000000000/approve",
        {"email_domains": []},
        422,
    ),
    (
        "admin",
        "POST",
        "/api/v1/join-requests",
        {"council_code": "x", "name": "A", "job_title": "B", "email": "a@b.gov.uk"},
        422,
    ),
    (
        "admin",
        "POST",
        "/api/v1/join-requests",
        {"council_code": "ABC", "name": LONG, "job_title": "B", "email": "a@b.gov.uk"},
        422,
    ),
    ("admin", "POST", "/api/v1/join-requests/verify", {"token": "short"}, 422),
    ("admin", "POST", "/api/v1/join-requests/verify", {"token": "x" * 40, "extra": 1}, 422),
]


@pytest.mark.parametrize(
    "who,method,path,body,status", CASES, ids=[f"{c[1]} {c[2]} {i}" for i, c in enumerate(CASES)]
)
def test_bad_input_is_refused_and_changes_nothing(
    client, db, people, who, method, path, body, status
):
    before = _row_counts(db)
    response = client.request(
        method, path.format(council=people["council"].id), json=body, headers=people[who].headers
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert {"type", "title", "status", "detail"} <= problem.keys()
    if status == 422:
        assert problem["errors"] and all({"loc", "msg"} <= e.keys() for e in problem["errors"])
    assert _row_counts(db) == before


@pytest.mark.parametrize("raw", [b"{", b"not json", b'{"name": }', b"\xff\xfe"])
def test_malformed_json_is_400(client, db, people, raw):
    before = _row_counts(db)
    response = client.post(
        "/api/v1/auth/tokens",
        content=raw,
        headers={**people["officer"].headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["title"] == "Malformed JSON"
    assert _row_counts(db) == before


def test_login_with_malformed_email_is_422(client):
    response = client.post("/api/v1/auth/login", json={"email": "nope", "password": "x"})
    assert response.status_code == 422


def test_lone_surrogates_are_422_not_500(client, db, people):
    before = _row_counts(db)
    response = client.put(
        "/api/v1/officers/me",
        content=b'{"display_name": "\\ud800"}',
        headers={**people["officer"].headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert _row_counts(db) == before
