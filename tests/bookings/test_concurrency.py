"""Rule 1 under real concurrency: threads on separate connections, real commits."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
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
from tests.bookings.conftest import TODAY, WEEK
from tests.factories import Factory, approved_week
from tests.server import running_server

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
    wide_engine, committed_pool, database_url, tmp_path
):
    """Idempotency-Key is handled at the edge (one dependency), so the race goes through HTTP:
    a real server, eight threads each with its own connection, the same key and body."""
    body = {
        "officer_id": str(committed_pool["officer_id"]),
        "week": WEEK,
        "hours": 1,
        "purpose": "Retry",
    }
    headers = {
        "Authorization": f"Bearer {committed_pool['booker'].token}",
        "Idempotency-Key": f"retry-{uuid.uuid4()}",
    }
    log = tmp_path / "server.log"
    with running_server(database_url, log, TP_TODAY=TODAY.isoformat()) as base:
        barrier = threading.Barrier(8)

        def attempt(_):
            with httpx.Client(base_url=base, timeout=60, headers=headers) as client:
                client.get("/api/ping")
                barrier.wait()
                return client.post("/api/v1/bookings", json=body)

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(attempt, range(8)))
    assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert sum(1 for a in answers if a.headers.get("idempotent-replayed") != "true") == 1
    factory = sessionmaker(bind=wide_engine, expire_on_commit=False)
    with factory() as session:
        assert (
            session.scalar(
                select(func.count()).select_from(Booking).where(Booking.purpose == "Retry")
            )
            == 1
        )
