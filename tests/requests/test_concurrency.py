"""Racing accepts, with real threads on separate connections that really commit: two accepts
of one offer make one set of bookings; accepts of two offers of the same hours never overbook."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth import service as auth
from app.availability.models import Availability
from app.bookings.models import Booking
from app.core import clock
from app.core.errors import Conflict
from app.core.isoweek import Week
from app.db import make_engine
from app.requests import service
from app.requests.models import Offer
from tests.factories import Factory, approved_week

THREADS = 8
WEEK = "2026-W50"


@pytest.fixture
def wide_engine(database_url):
    engine = make_engine(database_url, pool_size=THREADS, max_overflow=0)
    yield engine
    engine.dispose()


def _new(title: str) -> service.NewRequest:
    return service.NewRequest(
        title=title,
        description="Backlog",
        skills=["town-planning"],
        from_week=Week("2026-W50"),
        to_week=Week("2026-W51"),
        minutes_per_week=360,
        max_rate_pence=None,
        closes_on=date(2026, 12, 4),
        purchase_order=None,
    )


@pytest.fixture
def committed_market(committed_engine):
    """Two requests from one council; one officer with 6 approved hours in WEEK, offered in
    full against each request."""
    with (
        clock.travel_to(date(2026, 11, 25)),
        Session(committed_engine, expire_on_commit=False) as db,
    ):
        make = Factory(db)
        asking, lending = make.council(), make.council()
        booker = auth.actor_for(make.user(asking, "booker").user, "token")
        manager = make.user(lending, "manager")
        officer = make.officer(lending, skills=["town-planning"])
        row = approved_week(db, officer, manager, WEEK, 6)
        officer_actor = auth.actor_for(officer.user, "token")
        offers = []
        for title in ("First", "Second"):
            request = service.post_request(db, booker, _new(title))
            made = service.make_offer(
                db, officer_actor, request.id, [service.OfferedWeek(Week(WEEK), 360)], "Me"
            )
            offers.append(made.id)
        db.commit()
        return {
            "booker": booker,
            "offers": offers,
            "availability_id": row.id,
            "officer_id": row.officer_id,
        }


def _race(engine, calls):
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        with clock.travel_to(date(2026, 11, 25)), Session(engine, expire_on_commit=False) as db:
            try:
                result = call(db)
                db.commit()
                return result
            except Conflict as exc:
                db.rollback()
                return exc

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def _booked(engine, market):
    with Session(engine) as db:
        bookings = db.scalar(
            select(func.count())
            .select_from(Booking)
            .where(Booking.officer_id == market["officer_id"], Booking.status == "requested")
        )
        row = db.get_one(Availability, market["availability_id"])
        return bookings, row.booked_minutes, row.approved_minutes


def test_racing_accepts_of_one_offer_make_one_booking(wide_engine, committed_market):
    market = committed_market
    offer_id = market["offers"][0]
    results = _race(
        wide_engine,
        [lambda db: service.accept_offer(db, market["booker"], offer_id)] * THREADS,
    )
    won = [r for r in results if not isinstance(r, Exception)]
    assert len(won) == 1 and len(won[0]) == 1
    assert all(isinstance(r, Conflict) for r in results if r not in won)
    bookings, booked, approved = _booked(wide_engine, market)
    assert bookings == 1 and booked == 360 <= approved
    with Session(wide_engine) as db:
        assert db.get_one(Offer, offer_id).status == "accepted"


def test_racing_accepts_of_two_offers_of_the_same_hours_never_overbook(
    wide_engine, committed_market
):
    market = committed_market
    calls = [
        lambda db, offer_id=offer_id: service.accept_offer(db, market["booker"], offer_id)
        for offer_id in market["offers"]
        for _ in range(THREADS // 2)
    ]
    results = _race(wide_engine, calls)
    assert sum(not isinstance(r, Exception) for r in results) == 1
    bookings, booked, approved = _booked(wide_engine, market)
    assert bookings == 1 and booked == 360 <= approved
    with Session(wide_engine) as db:
        statuses = sorted(db.get_one(Offer, o).status for o in market["offers"])
    assert statuses == ["accepted", "made"]  # the loser changed nothing
