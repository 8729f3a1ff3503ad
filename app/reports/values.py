"""The reports read model for value: completed bookings valued as invoiced, net of credit notes.

A completed (or invoiced) booking counts its actual minutes and its recharge (the invoice line's
amount: minutes x rate ÷ 60, rounded half-up once), less whatever credit notes took off that
line. It belongs to the month of its week's Monday. Plain SELECTs over the bookings and
invoicing tables (DESIGN.md: reports read other domains' tables through one read model).
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.bookings import reads as bookings
from app.core import money
from app.councils.models import Council
from app.invoicing.models import CreditNoteLine, Invoice, InvoiceLine, InvoiceStatus


@dataclass(frozen=True)
class BookingValue:
    id: uuid.UUID
    lending_council_id: uuid.UUID
    booking_council_id: uuid.UUID
    officer_id: uuid.UUID
    week_start: date
    minutes: int
    pence: int

    @property
    def month(self) -> str:
        return self.week_start.strftime("%Y-%m")


def month_key(day: date) -> str:
    return day.strftime("%Y-%m")


def last_months(today: date, count: int) -> list[str]:
    """`count` months ending with today's, oldest first."""
    year, month = today.year, today.month
    keys = []
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return keys[::-1]


def month_span(first: str, last: str) -> tuple[date, date]:
    """The first day of `first` and the last day of `last` (months as 'YYYY-MM')."""
    y1, m1 = int(first[:4]), int(first[5:7])
    y2, m2 = int(last[:4]), int(last[5:7])
    return date(y1, m1, 1), date(y2, m2, calendar.monthrange(y2, m2)[1])


def completed_values(
    session: Session, first: date, last: date, scope: bookings.Scope = bookings.Scope()
) -> Iterator[BookingValue]:
    """Completed and invoiced bookings of weeks whose Monday is in [first, last], net of
    credit notes, in `scope` (the bookings read model's)."""
    done = bookings.done_in_weeks(first, last, scope)
    done_rows = done.subquery()
    # What credit notes took off each booking's invoice line: a query of its own that starts
    # from the (few) credit note lines, so the bookings themselves are read straight from
    # their index.
    credited = {
        booking_id: (int(minutes or 0), int(pence or 0))
        for booking_id, minutes, pence in session.execute(
            select(
                InvoiceLine.booking_id,
                func.sum(CreditNoteLine.minutes),
                func.sum(CreditNoteLine.amount_pence),
            )
            .join(CreditNoteLine, CreditNoteLine.invoice_line_id == InvoiceLine.id)
            .join(done_rows, done_rows.c.id == InvoiceLine.booking_id)
            .group_by(InvoiceLine.booking_id)
        )
    }
    no_credit = (0, 0)
    for row in session.execute(done):
        actual = row.actual_minutes or 0
        minutes_off, pence_off = credited.get(row.id, no_credit)
        yield BookingValue(
            id=row.id,
            lending_council_id=row.lending_council_id,
            booking_council_id=row.booking_council_id,
            officer_id=row.officer_id,
            week_start=row.week_start,
            minutes=max(actual - minutes_off, 0),
            pence=max(money.line_amount_pence(actual, row.rate_pence_per_hour) - pence_off, 0),
        )


def outstanding_by_partner(session: Session, council_id: uuid.UUID) -> dict[uuid.UUID, int]:
    """Unpaid issued invoices (gross less credit notes) between a council and each partner:
    positive when the partner owes the council, negative when the council owes the partner."""
    from_invoices = (
        select(
            Invoice.issuer_council_id,
            Invoice.customer_council_id,
            func.sum(Invoice.gross_pence - Invoice.credited_gross_pence),
        )
        .where(
            Invoice.status == InvoiceStatus.issued,
            or_(Invoice.issuer_council_id == council_id, Invoice.customer_council_id == council_id),
        )
        .group_by(Invoice.issuer_council_id, Invoice.customer_council_id)
    )
    balance: dict[uuid.UUID, int] = {}
    for issuer, customer, amount in session.execute(from_invoices):
        if issuer == council_id:
            balance[customer] = balance.get(customer, 0) + int(amount or 0)
        else:
            balance[issuer] = balance.get(issuer, 0) - int(amount or 0)
    return balance


def councils_by_id(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, Council]:
    if not ids:
        return {}
    return {c.id: c for c in session.scalars(select(Council).where(Council.id.in_(ids)))}
