from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from sqlalchemy.orm import Session

from app.auth import service as auth
from app.bookings import service as bookings
from app.core import clock
from app.core.isoweek import Week
from tests.factories import Factory, Member, approved_week

PERIOD = "2026-12"
WEEKS = ("2026-W49", "2026-W50", "2026-W51")  # Mondays 30 Nov (November!), 7 and 14 Dec
# What an issuing council needs before it can issue (issue 8: bank details), as the factory
# gives every council unless told otherwise.
BANK: dict = {
    "bank_account_name": "Lender Council General Account",
    "bank_sort_code": "309950",
    "bank_account_number": "87654321",
}


@dataclass
class Lender:
    council: object
    officer: Member
    manager: Member
    finance: Member
    officer_id: object = None
    weeks: dict = field(default_factory=dict)


def make_lender(make: Factory, db: Session, hours: float = 40, **settings) -> Lender:
    council = make.council(**settings)
    officer = make.officer(council)
    lender = Lender(council, officer, make.user(council, "manager"), make.user(council, "finance"))
    with clock.travel_to(date(2026, 11, 25)):
        for week in WEEKS:
            lender.weeks[week] = approved_week(db, officer, lender.manager, week, hours)
    lender.officer_id = lender.weeks[WEEKS[0]].officer_id
    return lender


def completed(
    db: Session,
    lender: Lender,
    booker: Member,
    week: str,
    minutes: int,
    actual: int | None = None,
    purchase_order: str | None = "PO-1",
) -> object:
    """A booking requested, confirmed and completed through the services."""
    with clock.travel_to(date(2026, 11, 25)):
        booking = bookings.request_booking(
            db,
            auth.actor_for(booker.user, "token"),
            lender.officer_id,
            Week(week),
            minutes,
            "Work",
            purchase_order,
        )
        bookings.confirm(db, auth.actor_for(lender.officer.user, "token"), booking.id)
    with clock.travel_to(date(2027, 1, 4)):
        bookings.complete(
            db,
            auth.actor_for(booker.user, "token"),
            booking.id,
            minutes if actual is None else actual,
        )
    db.commit()
    return booking


@pytest.fixture(autouse=True)
def _january():
    """Runs and issuing happen in January 2027, after December's weeks."""
    with clock.travel_to(date(2027, 1, 6)):
        yield
