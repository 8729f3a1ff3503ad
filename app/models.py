"""Every domain's tables, imported in one place for Alembic and the tests."""

from app.audit.models import AuditEvent
from app.auth.models import ApiToken, AuthSession, LoginThrottle, User, UserRole
from app.availability.models import Availability, StandingPermission
from app.bookings.models import Booking, BookingReferenceCounter
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
from app.notifications.models import Notification, OutboxMessage
from app.officers.models import Officer, OfficerSearchTerm, Skill, officer_skills
from app.payments.models import StripeEvent

__all__ = [
    "AgreementAcceptance",
    "AgreementVersion",
    "ApiToken",
    "AuditEvent",
    "AuthSession",
    "Availability",
    "Base",
    "Booking",
    "BookingReferenceCounter",
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
    "Notification",
    "NumberCounter",
    "Officer",
    "OfficerSearchTerm",
    "OutboxMessage",
    "Skill",
    "StandingPermission",
    "StripeEvent",
    "User",
    "UserRole",
    "officer_skills",
]
