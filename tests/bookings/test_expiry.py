"""Unanswered requests expire after 3 working days of the lending council's nation."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.bookings import service
from app.core import clock
from app.core.clock import LONDON
from tests.factories import approved_week

LATER_WEEK = "2027-W03"  # 18 to 24 January 2027


def _at(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(
    "nation,last_day",
    [
        # Asked on Wed 30 Dec 2026. England: Thu 31, (Fri 1 Jan holiday), Mon 4, Tue 5.
        ("England", date(2027, 1, 5)),
        # Scotland also takes Mon 4 Jan (2 January observed): Thu 31, Tue 5, Wed 6.
        ("Scotland", date(2027, 1, 6)),
    ],
)
def test_expiry_skips_bank_holidays(client, db, make, nation, last_day):
    lender = make.council(nation=nation, region=nation)
    officer = make.officer(lender)
    manager = make.user(lender, "manager")
    booker = make.user(make.council(), "booker")
    with clock.travel_to(date(2026, 12, 1)):
        approved_week(db, officer, manager, LATER_WEEK, 5)
        officer_id = client.get("/api/v1/officers/me", headers=officer.headers).json()["id"]
    with clock.travel_to(_at(date(2026, 12, 30), 10)):
        booking = client.post(
            "/api/v1/bookings",
            headers=booker.headers,
            json={"officer_id": officer_id, "week": LATER_WEEK, "hours": 2, "purpose": "x"},
        ).json()
    url = f"/api/v1/bookings/{booking['id']}"

    def status():
        return client.get(url, headers=booker.headers).json()["status"]

    with clock.travel_to(_at(last_day, 23, 59)):
        service.expire_due(db)
        db.commit()
        assert status() == "requested"
    with clock.travel_to(_at(last_day + timedelta(days=1), 0, 1)):
        service.expire_due(db)
        db.commit()
        assert status() == "expired"


def test_expiry_on_ordinary_working_days(client, db, pool):
    from tests.bookings.conftest import book

    booking = book(client, pool).json()  # Wednesday 25 November 2026
    url = f"/api/v1/bookings/{booking['id']}"
    with clock.travel_to(_at(date(2026, 11, 30), 23, 0)):  # Thu, Fri, Mon = 3 working days
        service.expire_due(db)
        db.commit()
        assert client.get(url, headers=pool.booker.headers).json()["status"] == "requested"
    with clock.travel_to(_at(date(2026, 12, 1), 0, 30)):
        service.expire_due(db)
        db.commit()
        assert client.get(url, headers=pool.booker.headers).json()["status"] == "expired"
    assert (
        client.get(f"/api/v1/bookings/{booking['id']}", headers=pool.booker.headers).json()[
            "status"
        ]
        == "expired"
    )
