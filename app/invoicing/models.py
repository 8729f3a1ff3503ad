"""Recharge invoices, their lines, credit notes and the gap-free number counters.

Issued invoices never change: the service refuses, and database triggers (migration 0005)
refuse updates to an issued invoice's totals and lines on both engines. Credit notes are the
only correction. A booking is on at most one invoice: `invoice_lines.booking_id` is unique.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.councils.models import Council
from app.db import Base, UTCDateTime, UUIDPrimaryKey, utcnow_default


class InvoiceStatus(StrEnum):
    """draft → issued (numbered, immutable) → paid or credited."""

    draft = "draft"
    issued = "issued"
    paid = "paid"
    credited = "credited"


INVOICE_STATUSES = tuple(s.value for s in InvoiceStatus)
VAT_CATEGORIES = ("S", "Z", "E", "O")


class Invoice(UUIDPrimaryKey, Base):
    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint(f"status IN {INVOICE_STATUSES!r}", name="status"),
        CheckConstraint("net_pence >= 0 AND vat_pence >= 0", name="amounts"),
        CheckConstraint("gross_pence = net_pence + vat_pence", name="gross"),
        CheckConstraint("credited_gross_pence <= gross_pence", name="credit_within_gross"),
        CheckConstraint("status = 'draft' OR number IS NOT NULL", name="issued_numbered"),
        UniqueConstraint("issuer_council_id", "number"),
        Index("ix_invoices_issuer_period", "issuer_council_id", "period", "status"),
        Index("ix_invoices_customer_period", "customer_council_id", "period", "status"),
        Index("ix_invoices_issue_date", "issue_date"),
    )

    issuer_council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"))
    customer_council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"))
    period: Mapped[str] = mapped_column(String(7))  # 'YYYY-MM'
    # One purchase order per invoice (None: the customer's bookings without one).
    purchase_order: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    number: Mapped[str | None] = mapped_column(String(40))
    vat_category: Mapped[str] = mapped_column(String(1))
    vat_rate_bps: Mapped[int] = mapped_column(Integer)
    vat_reason: Mapped[str | None] = mapped_column(String(300))
    net_pence: Mapped[int] = mapped_column(Integer, default=0)
    vat_pence: Mapped[int] = mapped_column(Integer, default=0)
    gross_pence: Mapped[int] = mapped_column(Integer, default=0)
    credited_net_pence: Mapped[int] = mapped_column(Integer, default=0)
    credited_vat_pence: Mapped[int] = mapped_column(Integer, default=0)
    credited_gross_pence: Mapped[int] = mapped_column(Integer, default=0)
    issue_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    issued_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # Both councils' names, addresses and VAT numbers as they were when it was issued.
    parties: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    paid_on: Mapped[date | None] = mapped_column(Date)
    payment_reference: Mapped[str | None] = mapped_column(String(100))
    stripe_payment_intent_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)

    lines: Mapped[list[InvoiceLine]] = relationship(
        lazy="raise", order_by="InvoiceLine.position", cascade="all, delete-orphan"
    )
    issuer: Mapped[Council] = relationship(foreign_keys=[issuer_council_id], lazy="raise")
    customer: Mapped[Council] = relationship(foreign_keys=[customer_council_id], lazy="raise")


class InvoiceLine(UUIDPrimaryKey, Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (
        CheckConstraint(
            "minutes >= 0 AND amount_pence >= 0 AND rate_pence_per_hour >= 0", name="amounts"
        ),
        CheckConstraint(f"vat_category IN {VAT_CATEGORIES!r}", name="vat_category"),
    )

    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    # Unique: a booking is invoiced at most once (DESIGN.md rule 4).
    booking_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bookings.id"), unique=True)
    officer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("officers.id"))
    officer_name: Mapped[str] = mapped_column(String(120))
    week: Mapped[str] = mapped_column(String(8))
    purchase_order: Mapped[str | None] = mapped_column(String(60))
    minutes: Mapped[int] = mapped_column(Integer)
    rate_pence_per_hour: Mapped[int] = mapped_column(Integer)
    amount_pence: Mapped[int] = mapped_column(Integer)
    vat_category: Mapped[str] = mapped_column(String(1))
    vat_rate_bps: Mapped[int] = mapped_column(Integer)
    # "time" (hours worked) or "late_cancellation" (charge_percent of the booked minutes).
    kind: Mapped[str] = mapped_column(String(20), default="time", server_default="time")
    # The booking's own reference (`Booking.reference`) when the line was made; NULL on lines
    # made before lines kept one, which print `legacy_booking_reference` instead.
    booking_reference: Mapped[str | None] = mapped_column(String(20))
    purpose: Mapped[str | None] = mapped_column(String(1000))
    charge_percent: Mapped[int | None] = mapped_column(Integer)

    @property
    def printed_booking_reference(self) -> str:
        """What the line's documents and exports print: what is stored, never recomputed."""
        return self.booking_reference or legacy_booking_reference(self.booking_id)


def legacy_booking_reference(booking_id: uuid.UUID | str) -> str:
    """The reference printed on lines stored without one ("B-1A2B3C4D", from the booking's id),
    so documents issued then still read as they did. `booking_id` may be a UUID or its text
    (hex or canonical, as drivers give it)."""
    hex_digits = (
        booking_id.hex if isinstance(booking_id, uuid.UUID) else booking_id.replace("-", "")
    )
    return f"B-{hex_digits[:8].upper()}"


class CreditNote(UUIDPrimaryKey, Base):
    """Created issued and numbered; never changes."""

    __tablename__ = "credit_notes"
    __table_args__ = (
        UniqueConstraint("issuer_council_id", "number"),
        CheckConstraint("gross_pence = net_pence + vat_pence", name="gross"),
        CheckConstraint("net_pence > 0 AND vat_pence >= 0", name="amounts"),
    )

    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id"), index=True)
    issuer_council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"))
    customer_council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"))
    number: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(500))
    net_pence: Mapped[int] = mapped_column(Integer)
    vat_pence: Mapped[int] = mapped_column(Integer)
    gross_pence: Mapped[int] = mapped_column(Integer)
    issue_date: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    issued_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    lines: Mapped[list[CreditNoteLine]] = relationship(
        lazy="raise", order_by="CreditNoteLine.position", cascade="all, delete-orphan"
    )


class CreditNoteLine(UUIDPrimaryKey, Base):
    __tablename__ = "credit_note_lines"
    __table_args__ = (CheckConstraint("minutes > 0 AND amount_pence >= 0", name="amounts"),)

    credit_note_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("credit_notes.id"), index=True)
    invoice_line_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoice_lines.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer)
    amount_pence: Mapped[int] = mapped_column(Integer)


class NumberCounter(Base):
    """The next number per issuing council, kind of document and year; locked while issuing."""

    __tablename__ = "number_counters"
    __table_args__ = (CheckConstraint("next_value >= 1", name="next_value"),)

    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)  # invoice | credit_note
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    next_value: Mapped[int] = mapped_column(Integer, default=1)
