"""Real threads and separate connections, on both engines: bookings racing for the same
week never hold more than was approved (rule 1), and a lowering that loses a race with
bookings is a clean 409 (Conflict), never a 500."""

from __future__ import annotations

import threading
import uuid
from datetime import date

from sqlalchemy import select

from app.account import service as account
from app.auth import service as auth
from app.availability import service
from app.availability.models import Availability
from app.core import clock
from app.core.errors import Conflict
from app.core.isoweek import Week
from app.councils import service as councils
from app.db import make_session_factory, session_scope
from app.officers import service as officers

WEEK = Week("2026-W50")


def _setup(factory):
    with session_scope(factory) as session:
        council = councils.create_council(session, None, "Race Council",
                                          "R" + uuid.uuid4().hex[:8].upper(), "England", "London")
        officer_user = account.add_member(session, None, council.id,
                                              f"o-{uuid.uuid4().hex[:8]}@example.gov.uk",
                                              "Racing Officer", ["officer"], None)
        manager_user = account.add_member(session, None, council.id,
                                              f"m-{uuid.uuid4().hex[:8]}@example.gov.uk",
                                              "Racing Manager", ["manager"], None)
        officer = auth.actor_for(officer_user, "token")
        manager = auth.actor_for(manager_user, "token")
        officers.give_consent(session, officer, None, councils.current_agreement(session).version)
        view = service.set_week(session, officer, WEEK, 600, False)
        assert view.row is not None
        availability_id = view.row.id
        service.approve(session, manager, availability_id)
    return officer, availability_id


def test_lowering_races_bookings(committed_engine):
    factory = make_session_factory(committed_engine)
    with clock.travel_to(date(2026, 11, 25)):
        officer, availability_id = _setup(factory)
        barrier = threading.Barrier(9)
        outcomes: list[str] = []
        booked: list[int] = []

        def book() -> None:
            barrier.wait()
            with session_scope(factory) as session:
                if service.hold(session, availability_id, 90):
                    booked.append(90)

        def lower() -> None:
            barrier.wait()
            try:
                with session_scope(factory) as session:
                    service.set_week(session, officer, WEEK, 300, False)
                outcomes.append("lowered")
            except Conflict:
                outcomes.append("conflict")

        threads = [threading.Thread(target=book) for _ in range(8)]
        threads.append(threading.Thread(target=lower))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    with factory() as session:
        row = session.scalar(select(Availability).where(Availability.id == availability_id))
        assert row is not None
        assert len(outcomes) == 1
        assert row.booked_minutes == sum(booked)
        assert row.booked_minutes <= row.approved_minutes
        if outcomes == ["lowered"]:
            assert row.approved_minutes == 300
        else:
            assert row.approved_minutes == 600 and row.booked_minutes > 300


def test_racing_holds_never_overbook(committed_engine):
    factory = make_session_factory(committed_engine)
    with clock.travel_to(date(2026, 11, 25)):
        _officer, availability_id = _setup(factory)  # ten hours approved
        barrier = threading.Barrier(12)
        held: list[int] = []

        def book() -> None:
            barrier.wait()
            with session_scope(factory) as session:
                if service.hold(session, availability_id, 60):
                    held.append(60)

        threads = [threading.Thread(target=book) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert sum(held) == 600
    with factory() as session:
        row = session.scalar(select(Availability).where(Availability.id == availability_id))
        assert row is not None and row.booked_minutes == 600 == row.approved_minutes
