"""Issue 8, point 8: a booking cancelled by the booking council inside the lending council's
notice period is charged the lender's percentage of the booked hours, shown on the booking and
charged as its own line on the lender's next recharge run (once)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from app.bookings import service
from app.core import clock
from app.councils.models import CouncilSettings
from app.invoicing.models import InvoiceLine
from tests.bookings.conftest import book

LATE_DAY = date(2026, 12, 3)  # Thursday before W50: 2 working days' notice < 5


def _set_percent(db, pool, percent):
    db.get(CouncilSettings, pool.lender.id).late_cancellation_charge_percent = percent
    db.commit()


def _cancel(client, booking_id, member, day=LATE_DAY):
    with clock.travel_to(day):
        return client.post(
            f"/api/v1/bookings/{booking_id}/cancel", json={"reason": "Plans changed"},
            headers=member.headers,
        )  # fmt: skip


def _run(client, make, pool, period="2026-12"):
    finance = make.user(pool.lender, "finance")
    with clock.travel_to(date(2027, 1, 6)):
        answer = client.post(
            "/api/v1/invoice-runs", json={"period": period}, headers=finance.headers
        )
    assert answer.status_code == 201, answer.text
    return answer.json()["invoices"], finance


def test_a_late_cancellation_by_the_booker_is_charged_and_invoiced_once(client, db, make, pool):
    _set_percent(db, pool, 50)
    booking = book(client, pool, hours=4, purchase_order="PO-9").json()
    cancelled = _cancel(client, booking["id"], pool.booker)
    assert cancelled.status_code == 200, cancelled.text
    body = cancelled.json()
    assert body["late_cancellation"] is True
    rate = body["rate_pence_per_hour"]
    assert body["late_cancellation_charge"] == {
        "percent": 50,
        "hours": 2.0,
        "net_pence": 2 * rate,
    }
    shown = client.get(f"/api/v1/bookings/{booking['id']}", headers=pool.booker.headers).json()
    assert shown["late_cancellation_charge"] == body["late_cancellation_charge"]
    [draft], finance = _run(client, make, pool)
    [line] = draft["lines"]
    assert (line["booking_id"], line["minutes"], line["amount_pence"]) == (
        booking["id"], 120, 2 * rate,
    )  # fmt: skip
    stored = db.scalar(
        select(InvoiceLine).where(InvoiceLine.booking_id == uuid.UUID(booking["id"]))
    )
    assert stored is not None and stored.kind == "late_cancellation"
    assert stored.charge_percent == 50 and stored.purchase_order == "PO-9"
    with clock.travel_to(date(2027, 1, 6)):
        issued = client.post(f"/api/v1/invoices/{draft['id']}/issue", headers=finance.headers)
        assert issued.status_code == 200, issued.text
        pdf = client.get(
            f"/api/v1/invoices/{draft['id']}/document?format=csv", headers=finance.headers
        )
    assert "late_cancellation" in pdf.text
    again, _ = _run(client, make, pool)
    assert again == []  # charged once
    db.expire_all()
    assert service.get_booking  # the booking itself stays cancelled
    assert (
        client.get(f"/api/v1/bookings/{booking['id']}", headers=pool.booker.headers).json()[
            "status"
        ]
        == "cancelled"
    )


@pytest.mark.parametrize(
    "percent,who,day",
    [
        (0, "booker", LATE_DAY),  # the lender charges nothing
        (50, "officer", LATE_DAY),  # the lending side cancelled
        (50, "booker", date(2026, 11, 25)),  # in good time
    ],
)
def test_no_charge_otherwise(client, db, make, pool, percent, who, day):
    _set_percent(db, pool, percent)
    booking = book(client, pool, hours=2).json()
    if who == "officer":
        client.post(f"/api/v1/bookings/{booking['id']}/confirm", headers=pool.officer.headers)
    member = pool.booker if who == "booker" else pool.officer
    answer = _cancel(client, booking["id"], member, day)
    assert answer.status_code == 200, answer.text
    assert answer.json()["late_cancellation_charge"] is None
    assert _run(client, make, pool)[0] == []


@given(minutes=st.integers(1, 160).map(lambda q: q * 15), percent=st.integers(0, 100))
def test_the_charge_is_the_share_to_the_quarter_hour(minutes, percent):
    charge = service.late_charge(minutes, percent)
    assert charge % 15 == 0 and 0 <= charge <= minutes
    assert abs(charge - minutes * percent / 100) <= 7.5
    assert service.late_charge(minutes, 100) == minutes and service.late_charge(minutes, 0) == 0
