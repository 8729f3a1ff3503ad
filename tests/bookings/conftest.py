from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from app.core import clock
from tests.factories import Member, approved_week

TODAY = date(2026, 11, 25)  # a Wednesday
WEEK = "2026-W50"  # 7 to 13 December 2026


@dataclass
class Pool:
    lender: object
    borrower: object
    officer: Member
    officer_id: str
    manager: Member
    booker: Member
    availability: object


@pytest.fixture(autouse=True)
def _today():
    with clock.travel_to(TODAY):
        yield


@pytest.fixture
def pool(make, db, client) -> Pool:
    lender = make.council()
    borrower = make.council()
    officer = make.officer(lender, skills=["town-planning"])
    manager = make.user(lender, "manager")
    booker = make.user(borrower, "booker")
    row = approved_week(db, officer, manager, WEEK, 10)
    officer_id = client.get("/api/v1/officers/me", headers=officer.headers).json()["id"]
    return Pool(lender, borrower, officer, officer_id, manager, booker, row)


def book(client, pool, hours=2, week=WEEK, key=None, **extra):
    headers = dict(pool.booker.headers)
    if key:
        headers["Idempotency-Key"] = key
    body = {
        "officer_id": pool.officer_id,
        "week": week,
        "hours": hours,
        "purpose": "Planning backlog",
        **extra,
    }
    return client.post("/api/v1/bookings", json=body, headers=headers)
