"""Monthly net settlement statements between two councils.

`open` (regenerated while invoices change) → `payment_recorded` (by the payer) → `settled`
(the payee confirms; every covered invoice is marked paid on both sides in one transaction).
The pair is stored in a fixed order (`council_a_id` < `council_b_id`), one statement per pair
and month. Items are the documents covered, with their outstanding gross as stored then:
invoices count positive in their issuer's favour, credit notes negative.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, UUIDPrimaryKey, utcnow_default


class SettlementStatus(StrEnum):
    """open (rebuilt when read) → payment_recorded (frozen) → settled."""

    open = "open"
    payment_recorded = "payment_recorded"
    settled = "settled"


STATUSES = tuple(s.value for s in SettlementStatus)
ITEM_KINDS = ("invoice", "credit_note")


class SettlementStatement(UUIDPrimaryKey, Base):
    __tablename__ = "settlement_statements"
    __table_args__ = (
        UniqueConstraint("period", "council_a_id", "council_b_id"),
        CheckConstraint(f"status IN {STATUSES!r}", name="status"),
        CheckConstraint("council_a_id <> council_b_id", name="two_councils"),
        CheckConstraint("payer_council_id <> payee_council_id", name="payer_payee"),
        CheckConstraint("net_pence >= 0", name="net"),
        CheckConstraint(
            "status = 'open' OR (payment_reference IS NOT NULL AND paid_on IS NOT NULL)",
            name="payment_recorded",
        ),
    )

    period: Mapped[str] = mapped_column(String(7), index=True)  # 'YYYY-MM'
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    council_a_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"), index=True)
    council_b_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"), index=True)
    payer_council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"))
    payee_council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"))
    # What each side's documents come to (outstanding gross), and the one amount paid.
    a_to_b_pence: Mapped[int] = mapped_column(Integer)
    b_to_a_pence: Mapped[int] = mapped_column(Integer)
    net_pence: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="open")
    generation: Mapped[int] = mapped_column(Integer, default=1)
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    payment_reference: Mapped[str | None] = mapped_column(String(100))
    paid_on: Mapped[date | None] = mapped_column(Date)
    payment_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    payment_recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    items: Mapped[list[SettlementItem]] = relationship(
        lazy="raise", order_by="SettlementItem.position", cascade="all, delete-orphan"
    )


class SettlementItem(UUIDPrimaryKey, Base):
    __tablename__ = "settlement_items"
    __table_args__ = (
        CheckConstraint(f"kind IN {ITEM_KINDS!r}", name="kind"),
        CheckConstraint("gross_pence >= 0", name="gross"),
    )

    statement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("settlement_statements.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))
    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoices.id"), index=True)
    credit_note_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("credit_notes.id"))
    number: Mapped[str] = mapped_column(String(40))
    issuer_council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"))
    issue_date: Mapped[date] = mapped_column(Date)
    # The document's gross (an invoice's full gross; a credit note's gross, which counts
    # against its invoice).
    gross_pence: Mapped[int] = mapped_column(Integer)
