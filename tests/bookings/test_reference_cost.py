"""A booking's short reference (lending council code + number: unique, stored, gap-tolerant),
its cost (hours x rate, VAT by the lending council's treatment, gross) and its contacts."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth import service as auth
from app.bookings import service
from app.bookings.models import Booking
from app.core import money
from app.core.isoweek import Week
from app.councils import service as councils
from app.db import make_engine
from app.notifications.models import OutboxMessage
from tests.bookings.conftest import WEEK, book
from tests.factories import Factory, approved_week


def test_a_booking_carries_a_reference_of_the_lending_councils_code(client, pool):
    first = book(client, pool, hours=1).json()
    second = book(client, pool, hours=1).json()
    code = pool.lender.code
    assert first["reference"] == f"{code}-0001"
    assert second["reference"] == f"{code}-0002"
    listed = client.get("/api/v1/bookings?side=booking", headers=pool.booker.headers).json()
    assert {b["reference"] for b in listed["items"]} >= {first["reference"], second["reference"]}


def test_a_refused_booking_may_leave_a_gap_but_never_a_repeat(client, pool):
    made = book(client, pool, hours=2).json()
    assert book(client, pool, hours=20).status_code == 409  # more than is free: rolled back
    after = book(client, pool, hours=2).json()
    numbers = [int(b["reference"].rsplit("-", 1)[1]) for b in (made, after)]
    assert numbers[1] > numbers[0]


def test_the_emails_quote_the_reference(client, pool, db):
    booking = book(client, pool).json()
    payloads = db.scalars(select(OutboxMessage.payload)).all()
    mine = [p for p in payloads if booking["id"] in p["body"]]
    assert mine and all(booking["reference"] in p["subject"] for p in mine)
    assert all(booking["reference"] in p["body"] for p in mine)


def test_cost_is_hours_times_rate_plus_standard_vat(client, pool, db):
    officer_id = pool.officer_id
    rate = client.get(f"/api/v1/officers/{officer_id}", headers=pool.booker.headers).json()[
        "rate_pence_per_hour"
    ]
    booking = book(client, pool, hours=2.5).json()
    net = money.line_amount_pence(150, rate)
    vat = money.vat_pence(net, 2000)
    assert booking["cost"] == {
        "hours": 2.5,
        "rate_pence_per_hour": rate,
        "net_pence": net,
        "vat_treatment": "standard",
        "vat_rate_bps": 2000,
        "vat_pence": vat,
        "gross_pence": net + vat,
    }


@pytest.mark.parametrize("treatment", ["zero", "exempt", "outside_scope"])
def test_no_vat_when_the_lending_council_charges_none(client, pool, db, treatment):
    row = councils.council_settings(db, pool.lender.id)
    row.vat_treatment = treatment
    row.vat_reason = "Not a supply"
    db.commit()
    cost = book(client, pool, hours=1).json()["cost"]
    assert cost["vat_pence"] == 0 and cost["gross_pence"] == cost["net_pence"]
    assert cost["vat_treatment"] == treatment


@settings(max_examples=60, deadline=None)
@given(
    quarters=st.integers(min_value=1, max_value=40 * 4),
    rate=st.integers(min_value=0, max_value=50_000),
    vat_bps=st.integers(min_value=0, max_value=10_000),
)
def test_cost_adds_up_for_any_hours_rate_and_vat(quarters, rate, vat_bps):
    """Property: gross = net + VAT, net rounds once like an invoice line, all integer pence."""
    booking = Booking(minutes=quarters * 15, rate_pence_per_hour=rate, actual_minutes=None)
    net = money.line_amount_pence(booking.minutes, rate)
    vat = money.vat_pence(net, vat_bps)
    assert isinstance(net, int) and isinstance(vat, int)
    assert abs(net * 60 - booking.minutes * rate) <= 30  # rounded once, to the nearest penny
    assert abs(vat * 10_000 - net * vat_bps) <= 5_000


def test_contacts_on_each_side_on_the_bookings_own_page(client, pool):
    booking = book(client, pool).json()
    assert booking["contacts"] is not None  # the answer to the POST is the booking's page
    shown = client.get(f"/api/v1/bookings/{booking['id']}", headers=pool.booker.headers).json()
    booking_side = {(c["email"], c["role"]) for c in shown["contacts"]["booking"]}
    lending_side = {(c["email"], c["role"]) for c in shown["contacts"]["lending"]}
    assert booking_side == {(pool.booker.user.email, "booker")}
    assert (pool.officer.user.email, "officer") in lending_side
    assert (pool.manager.user.email, "manager") in lending_side
    listed = client.get("/api/v1/bookings?side=booking", headers=pool.booker.headers).json()
    assert all(item["contacts"] is None for item in listed["items"])  # lists stay light


THREADS = 12


@pytest.fixture
def wide_engine(database_url):
    engine = make_engine(database_url, pool_size=THREADS, max_overflow=0)
    yield engine
    engine.dispose()


def test_racing_bookings_of_one_council_never_share_a_reference(wide_engine, committed_engine):
    """Real threads on separate connections, really committing: each booking of a new council
    (whose counter row does not exist yet) gets its own number."""
    with Session(committed_engine, expire_on_commit=False) as session:
        make = Factory(session)
        lender, borrower = make.council(), make.council()
        manager = make.user(lender, "manager")
        booker = make.user(borrower, "booker")
        officer_ids = []
        for _ in range(THREADS):
            officer = make.officer(lender)
            row = approved_week(session, officer, manager, WEEK, 2)
            officer_ids.append(row.officer_id)
        actor = auth.actor_for(booker.user, "token")
    barrier = threading.Barrier(THREADS)

    def run(officer_id: uuid.UUID) -> str:
        barrier.wait()
        with Session(wide_engine, expire_on_commit=False) as session:
            booking = service.request_booking(
                session, actor, officer_id, Week(WEEK), 60, "Race", None
            )
            session.commit()
            return booking.reference

    with ThreadPoolExecutor(THREADS) as pool:
        references = list(pool.map(run, officer_ids))
    assert len(set(references)) == THREADS
    assert all(ref.startswith(f"{lender.code}-") for ref in references)
