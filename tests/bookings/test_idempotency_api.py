from __future__ import annotations

from sqlalchemy import func, select

from app.bookings.models import Booking
from tests.bookings.conftest import book


def test_a_retry_with_the_same_key_returns_the_first_answer(client, db, pool):
    first = book(client, pool, hours=2, key="abc-123")
    again = book(client, pool, hours=2, key="abc-123")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers.get("idempotent-replayed") == "true"
    assert (
        db.scalar(
            select(func.count()).select_from(Booking).where(Booking.booker_id == pool.booker.id)
        )
        == 1
    )


def test_the_same_key_with_another_body_is_refused(client, db, pool):
    book(client, pool, hours=2, key="abc-456")
    other = book(client, pool, hours=3, key="abc-456")
    assert other.status_code == 422
    assert other.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    assert (
        db.scalar(
            select(func.count()).select_from(Booking).where(Booking.booker_id == pool.booker.id)
        )
        == 1
    )


def test_without_a_key_each_request_books(client, pool):
    assert book(client, pool, hours=1).json()["id"] != book(client, pool, hours=1).json()["id"]
