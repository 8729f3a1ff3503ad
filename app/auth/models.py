from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.actor import Role
from app.db import Base, UTCDateTime, UUIDPrimaryKey, utcnow_default


class User(UUIDPrimaryKey, Base):
    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    council_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("councils.id"), index=True)
    line_manager_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    # Two-factor sign-in (app/auth/totp.py): the TOTP secret, encrypted with the settings'
    # key; enabled once a first code confirmed it; the last time step used (no replays).
    totp_secret: Mapped[str | None] = mapped_column(String(300))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    role_rows: Mapped[list[UserRole]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="UserRole.role"
    )

    @property
    def roles(self) -> list[Role]:
        return [Role(row.role) for row in self.role_rows]


class UserRole(Base):
    """A user's roles in their council."""

    __tablename__ = "user_roles"
    __table_args__ = (Index("ix_user_roles_role", "role"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class AuthSession(Base):
    """A signed-in browser. Only a hash of the cookie's token is stored; `id` names it to its
    owner (the sessions list) without revealing the token."""

    __tablename__ = "auth_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(unique=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # How it started ("password" or "sso"), from which browser and address.
    method: Mapped[str] = mapped_column(String(10), default="password")
    user_agent: Mapped[str | None] = mapped_column(String(300))
    ip: Mapped[str | None] = mapped_column(String(64))
    # Signed in with a password but must still set up two-factor sign-in: such a session
    # reaches only the enrolment endpoints (app.dependencies).
    must_enrol: Mapped[bool] = mapped_column(Boolean, default=False)
    # Single sign-on: the council whose provider signed the person in, and its ID token (the
    # id_token_hint of the provider's end_session at sign-out).
    sso_council_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("councils.id"))
    id_token: Mapped[str | None] = mapped_column(Text)


class ApiToken(UUIDPrimaryKey, Base):
    __tablename__ = "api_tokens"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LoginThrottle(Base):
    """Failed sign-in attempts in the current window, one row per throttled key (an account,
    an account and address pair, an address), stored as a hash: no emails or addresses kept.
    Counted and checked in one guarded upsert (app/auth/limits.py)."""

    __tablename__ = "login_throttles"
    __table_args__ = (CheckConstraint("failures >= 0", name="failures"),)

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    failures: Mapped[int] = mapped_column(Integer)


class RecoveryCode(UUIDPrimaryKey, Base):
    """One of the ten single-use recovery codes of a person's two-factor sign-in (a digest)."""

    __tablename__ = "recovery_codes"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PasswordReset(Base):
    """An emailed password reset link: single use, one hour, only its digest stored."""

    __tablename__ = "password_resets"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CouncilSignIn(Base):
    """How a council's people sign in: its OpenID Connect provider (the client secret
    encrypted with the settings' key), the email domains it covers, whether new people from
    those domains arrive as officers, and whether everyone needs two-factor sign-in."""

    __tablename__ = "council_sign_in"

    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"), primary_key=True)
    issuer: Mapped[str | None] = mapped_column(String(300))
    client_id: Mapped[str | None] = mapped_column(String(300))
    client_secret: Mapped[str | None] = mapped_column(Text)  # Fernet token
    email_domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    create_officers: Mapped[bool] = mapped_column(Boolean, default=False)
    require_two_factor: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)


class SsoState(Base):
    """A sign-in sent to a provider and not yet back: the state (a digest), the nonce and the
    PKCE verifier. Used once; ten minutes."""

    __tablename__ = "sso_states"

    state_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"))
    nonce: Mapped[str] = mapped_column(String(100))
    code_verifier: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
