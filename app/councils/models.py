from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, UUIDPrimaryKey, utcnow_default

NATIONS = ("England", "Scotland", "Wales", "Northern Ireland")


# unverified: the emailed link has not been followed; pending: verified, waiting for a platform
# admin; approved: the requester was invited as the council's first admin; declined: with a reason.
class JoinRequestStatus(StrEnum):
    """Where a request to join stands (see the comment above)."""

    unverified = "unverified"
    pending = "pending"
    approved = "approved"
    declined = "declined"


JOIN_REQUEST_STATUSES = tuple(s.value for s in JoinRequestStatus)
OPEN_JOIN_REQUEST = "status IN ('unverified', 'pending')"
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
        CheckConstraint(
            "late_cancellation_charge_percent BETWEEN 0 AND 100", name="late_charge_percent"
        ),
        CheckConstraint("bank_sort_code IS NULL OR length(bank_sort_code) = 6", name="sort_code"),
        CheckConstraint(
            "bank_account_number IS NULL OR length(bank_account_number) = 8", name="account_number"
        ),
    )

    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"), primary_key=True)
    vat_rate_bps: Mapped[int] = mapped_column(Integer, default=2000)
    vat_treatment: Mapped[str] = mapped_column(String(20), default="standard")
    vat_reason: Mapped[str | None] = mapped_column(String(300))
    vat_number: Mapped[str | None] = mapped_column(String(20))
    # The invoice address: 1-4 lines, the town and a normalised UK postcode (invoice_address).
    address_lines: Mapped[list[str]] = mapped_column(JSON, default=list)
    town: Mapped[str | None] = mapped_column(String(100))
    postcode: Mapped[str | None] = mapped_column(String(8))
    finance_email: Mapped[str | None] = mapped_column(String(254))
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30)
    po_required: Mapped[bool] = mapped_column(Boolean, default=False)
    cancellation_notice_days: Mapped[int] = mapped_column(Integer, default=5)
    # The share of the booked hours charged for a cancellation inside the notice period.
    late_cancellation_charge_percent: Mapped[int] = mapped_column(Integer, default=0)
    email_domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    stripe_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # This council's Customer at Stripe, made the first time it pays an invoice by card.
    stripe_customer_id: Mapped[str | None] = mapped_column(String(255))
    default_rate_pence_per_hour: Mapped[int] = mapped_column(Integer, default=4500)
    # Optional ledger coding printed on exports for the customer's finance system.
    ledger_code: Mapped[str | None] = mapped_column(String(40))
    cost_centre: Mapped[str | None] = mapped_column(String(40))
    subjective_code: Mapped[str | None] = mapped_column(String(40))
    # Where other councils pay this council's invoices (printed on every invoice).
    bank_account_name: Mapped[str | None] = mapped_column(String(140))
    bank_sort_code: Mapped[str | None] = mapped_column(String(6))
    bank_account_number: Mapped[str | None] = mapped_column(String(8))
    remittance_email: Mapped[str | None] = mapped_column(String(254))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)

    @property
    def charged_vat_rate_bps(self) -> int:
        """The VAT rate on what this council charges: its rate when standard-rated; none when
        zero-rated, exempt or outside the scope."""
        return self.vat_rate_bps if self.vat_treatment == "standard" else 0

    @property
    def invoice_address(self) -> str:
        """The structured address as text, one part a line (read-only)."""
        parts = [*(self.address_lines or []), self.town, self.postcode]
        return "\n".join(part for part in parts if part)

    @property
    def missing_bank_details(self) -> list[str]:
        """What to fill in before this council can issue an invoice."""
        labels = {
            "bank_account_name": "bank account name",
            "bank_sort_code": "sort code",
            "bank_account_number": "account number",
        }
        return [label for key, label in labels.items() if not getattr(self, key)]


class AgreementVersion(UUIDPrimaryKey, Base):
    """A published version of the pool's s113 agreement. The highest `sequence` is current:
    councils must accept it (again) and officers' consent follows its `officer_consent_text`."""

    __tablename__ = "agreement_versions"

    sequence: Mapped[int] = mapped_column(Integer, unique=True)
    version: Mapped[str] = mapped_column(String(20), unique=True)
    text: Mapped[str] = mapped_column(Text)
    officer_consent_text: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    published_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class AgreementAcceptance(UUIDPrimaryKey, Base):
    """A council's acceptance of a version of the pool's s113 agreement. `left_at` is set when
    the council leaves the pool; accepting again makes a new row."""

    __tablename__ = "agreement_acceptances"

    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"), index=True)
    version: Mapped[str] = mapped_column(String(20))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    accepted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    left_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


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
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class JoinRequest(UUIDPrimaryKey, Base):
    """Someone asking for their council to join the pool. Only a digest of the emailed
    verification link's token is stored; one open request per council and email address."""

    __tablename__ = "join_requests"
    __table_args__ = (
        CheckConstraint(f"status IN {JOIN_REQUEST_STATUSES!r}", name="status"),
        Index(
            "uq_join_requests_open",
            "council_id",
            "email",
            unique=True,
            sqlite_where=text(OPEN_JOIN_REQUEST),
            postgresql_where=text(OPEN_JOIN_REQUEST),
        ),
        Index("ix_join_requests_status_created", "status", "created_at"),
    )

    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"))
    name: Mapped[str] = mapped_column(String(120))
    job_title: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(12), default="unverified")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    link_expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decline_reason: Mapped[str | None] = mapped_column(String(500))
    invitation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("invitations.id"))

    council: Mapped[Council] = relationship(lazy="raise")


class JoinAttempt(UUIDPrimaryKey, Base):
    """Every call to ask to join, valid or not, counted per client IP for the rate limit (so
    the limit says nothing about which councils or emails exist)."""

    __tablename__ = "join_attempts"
    __table_args__ = (Index("ix_join_attempts_ip_at", "ip", "at"),)

    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
