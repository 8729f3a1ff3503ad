"""Two councils that lent to each other in November and December 2026, invoiced and credited
through the services, for the value reports and settlements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy.orm import Session

from app.auth import service as auth
from app.bookings import service as bookings
from app.core import clock
from app.core.isoweek import Week
from app.invoicing import service as invoicing
from tests.factories import Factory, Member, approved_week

# Mondays: W49 = 30 Nov 2026 (so November), W50 = 7 Dec, W51 = 14 Dec.
NOV_WEEK, DEC_WEEK, DEC_WEEK_2 = "2026-W49", "2026-W50", "2026-W51"
BANK = {
    "bank_account_name": "Council",
    "bank_sort_code": "400000",
    "bank_account_number": "12345678",
    "vat_number": "GB123456789",
    "address_lines": ["Town Hall", "High Street"],
    "town": "Anytown",
    "postcode": "AB1 2CD",
}


@dataclass
class Side:
    council: object
    officer: Member
    officer_id: object
    manager: Member
    finance: Member
    booker: Member


def years_on(week: str, years: int) -> str:
    """The same ISO week `years` later (2026-W49 and 2032-W49 both start in late November)."""
    return f"{int(week[:4]) + years}{week[4:]}"


def make_side(
    make: Factory, db: Session, skill: str, years: int = 0, **settings: object
) -> Side:
    """A council with an officer of `skill` approved for 20 hours in NOV_WEEK, DEC_WEEK and
    DEC_WEEK_2 (`years` later, for tests that need months nobody else uses)."""
    council = make.council(**{**BANK, **settings})
    officer = make.officer(council, skills=[skill])
    manager = make.user(council, "manager")
    with clock.travel_to(date(2026 + years, 11, 25)):
        rows = [
            approved_week(db, officer, manager, years_on(w, years), 20)
            for w in (NOV_WEEK, DEC_WEEK, DEC_WEEK_2)
        ]
    return Side(
        council,
        officer,
        rows[0].officer_id,
        manager,
        make.user(council, "finance"),
        make.user(council, "booker"),
    )


def complete(
    db: Session,
    lender: Side,
    borrower: Side,
    week: str,
    minutes: int,
    actual: int | None = None,
    years: int = 0,
) -> object:
    week = years_on(week, years)
    with clock.travel_to(date(2026 + years, 11, 25)):
        booking = bookings.request_booking(
            db,
            auth.actor_for(borrower.booker.user, "token"),
            lender.officer_id,
            Week(week),
            minutes,
            "Work",
            "PO-1",
        )
        bookings.confirm(db, auth.actor_for(lender.officer.user, "token"), booking.id)
    with clock.travel_to(date(2027 + years, 1, 4)):
        bookings.complete(
            db,
            auth.actor_for(borrower.booker.user, "token"),
            booking.id,
            minutes if actual is None else actual,
        )
    db.commit()
    return booking


def issue_december(db: Session, lender: Side) -> list:
    finance = auth.actor_for(lender.finance.user, "token")
    with clock.travel_to(date(2027, 1, 6)):
        drafts = invoicing.run_recharge(db, finance, "2026-12")
        issued = [invoicing.issue(db, finance, d.id) for d in drafts]
    db.commit()
    return issued


@dataclass
class Exchange:
    west: Side
    east: Side
    west_invoice: object
    east_invoice: object
    bookings: dict


@pytest.fixture
def exchange(make: Factory, db: Session) -> Exchange:
    """West lends East: W49 1 h (Nov, 4500p), W50 45 of 60 min (3375p), W51 1 h (4500p), then
    credits 15 min of W51 (1125p + 225p VAT). East lends West: W50 2 h (9000p).
    December invoices: West → East net 7875 + VAT 1575 = 9450, credited 1350: 8100 owed;
    East → West 9000 + 1800 = 10800. So West owes East 2700 net."""
    west = make_side(make, db, "data-analyst")
    east = make_side(make, db, "town-planning")
    made = {
        "w49": complete(db, west, east, NOV_WEEK, 60),
        "w50": complete(db, west, east, DEC_WEEK, 60, actual=45),
        "w51": complete(db, west, east, DEC_WEEK_2, 60),
        "e50": complete(db, east, west, DEC_WEEK, 120),
    }
    [west_invoice] = issue_december(db, west)
    [east_invoice] = issue_december(db, east)
    with clock.travel_to(date(2027, 1, 7)):
        invoicing.credit(
            db,
            auth.actor_for(west.finance.user, "token"),
            west_invoice.id,
            [invoicing.CreditRequest(made["w51"].id, 15)],
            "Hours over-recorded",
        )
    db.commit()
    return Exchange(west, east, west_invoice, east_invoice, made)
