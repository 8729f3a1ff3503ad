from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from app.core import clock
from tests.factories import Member

TODAY = date(2026, 11, 25)  # a Wednesday in 2026-W48


@pytest.fixture(autouse=True)
def _today():
    with clock.travel_to(TODAY):
        yield


@dataclass
class Market:
    asking: Any
    lending: Any
    booker: Member
    officer: Member
    manager: Member
    other_officer: Member  # no matching skill


@pytest.fixture
def market(make) -> Market:
    asking, lending = make.council(), make.council()
    booker = make.user(asking, "booker")
    manager = make.user(lending, "manager")
    officer = make.officer(lending, skills=["town-planning"], name="Pat Planner")
    other = make.officer(lending, skills=["user-researcher"], name="Uma Researcher")
    return Market(asking, lending, booker, officer, manager, other)


REQUEST = {
    "title": "Planning backlog",
    "description": "Householder applications, about 40 of them.",
    "skills": ["town-planning"],
    "from_week": "2026-W50",
    "to_week": "2026-W52",
    "hours_per_week": 6,
    "max_rate_pence": 9000,
    "closes_on": "2026-12-04",
}


def post_request(client, market, **extra):
    response = client.post(
        "/api/v1/requests", json={**REQUEST, **extra}, headers=market.booker.headers
    )
    assert response.status_code == 201, response.text
    return response.json()


def offer(client, officer, request_id, weeks, note="Happy to help"):
    body = {"weeks": [{"week": w, "hours": h} for w, h in weeks.items()], "note": note}
    return client.post(f"/api/v1/requests/{request_id}/offers", json=body, headers=officer.headers)


def approve_all(client, manager):
    pending = client.get("/api/v1/approvals?status=pending", headers=manager.headers).json()
    for row in pending["items"]:
        response = client.post(f"/api/v1/availability/{row['id']}/approve", headers=manager.headers)
        assert response.status_code == 200, response.text
