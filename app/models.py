"""Every domain's tables, imported in one place for Alembic and the tests."""

from app.audit.models import AuditEvent
from app.auth.models import ApiToken, AuthSession, LoginFailure, User, UserRole
from app.councils.models import AgreementAcceptance, Council, CouncilSettings, Invitation
from app.db import Base
from app.notifications.models import OutboxMessage
from app.officers.models import Officer, Skill, officer_skills

__all__ = [
    "AgreementAcceptance",
    "ApiToken",
    "AuditEvent",
    "AuthSession",
    "Base",
    "Council",
    "CouncilSettings",
    "Invitation",
    "LoginFailure",
    "Officer",
    "OutboxMessage",
    "Skill",
    "User",
    "UserRole",
    "officer_skills",
]
