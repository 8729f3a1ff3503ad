from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, UUIDPrimaryKey, utcnow_default

NATIONS = ("England", "Scotland", "Wales", "Northern Ireland")
VAT_TREATMENTS = ("standard", "zero", "exempt", "outside_scope")


class Council(UUIDPrimaryKey, Base):
    __tablename__ = "councils"
    __table_args__ = (CheckConstraint(f"nation IN {NATIONS!r}", name="nation"),)

    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str | None] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(10), unique=True)
    gss_code: Mapped[str | None] = mapped_column(String(9))
    nation: Mapped[str] = mapped_column(String(20))
    region: Mapped[str] = mapped_column(String(60))
    authority_type: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)

    settings: Mapped[CouncilSettings] = relationship(lazy="raise", uselist=False)


class CouncilSettings(Base):
    """One row per council: invoicing, VAT, booking rules and who may be invited."""

    __tablename__ = "council_settings"
    __table_args__ = (
        CheckConstraint("vat_rate_bps BETWEEN 0 AND 10000", name="vat_rate_bps"),
        CheckConstraint(f"vat_treatment IN {VAT_TREATMENTS!r}", name="vat_treatment"),
        CheckConstraint("payment_terms_days BETWEEN 0 AND 365", name="payment_terms_days"),
        CheckConstraint("cancellation_notice_days BETWEEN 0 AND 60", name="notice_days"),
        CheckConstraint("default_rate_pence_per_hour >= 0", name="default_rate"),
    )

    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"), primary_key=True)
    vat_rate_bps: Mapped[int] = mapped_column(Integer, default=2000)
    vat_treatment: Mapped[str] = mapped_column(String(20), default="standard")
    vat_reason: Mapped[str | None] = mapped_column(String(300))
    vat_number: Mapped[str | None] = mapped_column(String(20))
    invoice_address: Mapped[str] = mapped_column(Text, default="")
    finance_email: Mapped[str | None] = mapped_column(String(254))
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30)
    po_required: Mapped[bool] = mapped_column(Boolean, default=False)
    cancellation_notice_days: Mapped[int] = mapped_column(Integer, default=5)
    late_cancellation_charge: Mapped[bool] = mapped_column(Boolean, default=False)
    email_domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    stripe_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # This council's Customer at Stripe, made the first time it pays an invoice by card.
    stripe_customer_id: Mapped[str | None] = mapped_column(String(255))
    default_rate_pence_per_hour: Mapped[int] = mapped_column(Integer, default=4500)
    # Optional ledger coding printed on exports for the customer's finance system.
    ledger_code: Mapped[str | None] = mapped_column(String(40))
    cost_centre: Mapped[str | None] = mapped_column(String(40))
    subjective_code: Mapped[str | None] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)


class AgreementAcceptance(UUIDPrimaryKey, Base):
    """A council's acceptance of a version of the pool's s113 agreement."""

    __tablename__ = "agreement_acceptances"

    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"), index=True)
    version: Mapped[str] = mapped_column(String(20))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    accepted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class Invitation(UUIDPrimaryKey, Base):
    __tablename__ = "invitations"

    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120))
    roles: Mapped[list[str]] = mapped_column(JSON)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
