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
from app.messages.models import Message
from app.notifications.models import Notification, OutboxMessage
from app.officers.models import Officer, OfficerSearchTerm, Skill, officer_skills
from app.payments.models import StripeEvent
from app.reports.models import MarketRate, MarketRateChange
from app.requests.models import (
    AlertSent,
    HelpRequest,
    Offer,
    OfferWeek,
    SavedSearch,
    help_request_skills,
)
from app.settlements.models import SettlementItem, SettlementStatement

__all__ = [
    "AgreementAcceptance",
    "AgreementVersion",
    "AlertSent",
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
    "HelpRequest",
    "IdempotencyKey",
    "Invitation",
    "Invoice",
    "InvoiceLine",
    "JoinAttempt",
    "JoinRequest",
    "LoginThrottle",
    "MarketRate",
    "MarketRateChange",
    "Message",
    "Notification",
    "NumberCounter",
    "Offer",
    "OfferWeek",
    "Officer",
    "OfficerSearchTerm",
    "OutboxMessage",
    "SavedSearch",
    "SettlementItem",
    "SettlementStatement",
    "Skill",
    "StandingPermission",
    "StripeEvent",
    "User",
    "UserRole",
    "help_request_skills",
    "officer_skills",
]
