"""Rule 1 under real concurrency: threads on separate connections, real commits."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.auth import service as auth
from app.availability.models import Availability
from app.bookings import service
from app.bookings.models import Booking
from app.core.errors import Conflict
from app.core.isoweek import Week
from app.db import make_engine
from tests.bookings.conftest import WEEK
from tests.factories import Factory, approved_week

THREADS = 50


@pytest.fixture
def wide_engine(database_url):
    """A pool as wide as the race, so every thread has its own connection."""
    engine = make_engine(database_url, pool_size=THREADS, max_overflow=0)
    yield engine
    engine.dispose()


@pytest.fixture
def committed_pool(committed_engine):
    with Session(committed_engine, expire_on_commit=False) as session:
        make = Factory(session)
        lender, borrower = make.council(), make.council()
        officer = make.officer(lender)
        manager = make.user(lender, "manager")
        booker = make.user(borrower, "booker")
        row = approved_week(session, officer, manager, WEEK, 10)
        officer_id = session.get(Availability, row.id).officer_id
        return {"booker": booker, "officer_id": officer_id, "availability_id": row.id}


def _race(factory, calls):
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        with factory() as session:
            try:
                result = call(session)
                session.commit()
                return result
            except Conflict as exc:
                session.rollback()
                return exc

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_fifty_threads_booking_a_ten_hour_week_make_exactly_ten_bookings(
    wide_engine, committed_pool
):
    factory = sessionmaker(bind=wide_engine, expire_on_commit=False)
    actor = auth.actor_for(committed_pool["booker"].user, "token")

    def book_one_hour(session):
        return service.request_booking(
            session, actor, committed_pool["officer_id"], Week(WEEK), 60, "Race", None
        ).id

    results = _race(factory, [book_one_hour] * THREADS)
    booked = [r for r in results if isinstance(r, uuid.UUID)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(booked) == 10 and len(refused) == 40
    assert all("not enough approved hours" in str(r.detail) for r in refused)
    with factory() as session:
        row = session.get(Availability, committed_pool["availability_id"])
        assert row.booked_minutes == 600 == row.approved_minutes
        stored = session.scalar(
            select(func.count()).select_from(Booking).where(Booking.availability_id == row.id)
        )
        assert stored == 10


def test_the_same_idempotency_key_retried_concurrently_makes_one_booking(
    wide_engine, committed_pool
):
    factory = sessionmaker(bind=wide_engine, expire_on_commit=False)
    actor = auth.actor_for(committed_pool["booker"].user, "token")
    body = {
        "officer_id": str(committed_pool["officer_id"]),
        "week": WEEK,
        "minutes": 60,
        "purpose": "Retry",
        "purchase_order": None,
    }
    key = f"retry-{uuid.uuid4()}"

    def attempt(session):
        return service.request_booking_once(session, actor, key, body, lambda b: {"id": str(b.id)})

    results = _race(factory, [attempt] * 8)
    ids = {payload["id"] for _status, payload, _replayed in results}
    assert len(ids) == 1
    assert sum(1 for _s, _p, replayed in results if not replayed) == 1
    with factory() as session:
        assert (
            session.scalar(
                select(func.count()).select_from(Booking).where(Booking.purpose == "Retry")
            )
            == 1
        )
