"""Every domain's tables, imported in one place for Alembic and the tests."""

from app.audit.models import AuditEvent
from app.auth.models import ApiToken, AuthSession, LoginThrottle, User, UserRole
from app.availability.models import Availability, StandingPermission
from app.bookings.models import Booking
from app.councils.models import (
    AgreementAcceptance,
    AgreementVersion,
    Council,
    CouncilSettings,
    Invitation,
    JoinAttempt,
    JoinRequest,
)
from app.db import Base
from app.idempotency.models import IdempotencyKey
from app.invoicing.models import CreditNote, CreditNoteLine, Invoice, InvoiceLine, NumberCounter
from app.notifications.models import OutboxMessage
from app.officers.models import Officer, OfficerSearchTerm, Skill, officer_skills
from app.payments.models import StripeEvent
from app.reports.models import MarketRate, MarketRateChange
from app.settlements.models import SettlementItem, SettlementStatement

__all__ = [
    "AgreementAcceptance",
    "AgreementVersion",
    "ApiToken",
    "AuditEvent",
    "AuthSession",
    "Availability",
    "Base",
    "Booking",
    "Council",
    "CouncilSettings",
    "CreditNote",
    "CreditNoteLine",
    "IdempotencyKey",
    "Invitation",
    "Invoice",
    "InvoiceLine",
    "JoinAttempt",
    "JoinRequest",
    "LoginThrottle",
    "MarketRate",
    "MarketRateChange",
    "NumberCounter",
    "Officer",
    "OfficerSearchTerm",
    "OutboxMessage",
    "SettlementItem",
    "SettlementStatement",
    "Skill",
    "StandingPermission",
    "StripeEvent",
    "User",
    "UserRole",
    "officer_skills",
]
