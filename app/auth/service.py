"""Who is asking: passwords, sessions, API tokens, CSRF, rate limiting and the Actor."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.audit import service as audit
from app.auth.models import ApiToken, AuthSession, LoginFailure, User, UserRole
from app.config import get_settings
from app.core import clock
from app.core.actor import Actor, Role, Via
from app.core.errors import InvalidCredentials, NotFound, TooManyRequests
from app.core.tokens import new_token, token_digest

# OWASP's argon2id parameters: 19 MiB, 2 iterations, parallelism 1.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verified against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

# Sessions are not touched more often than this, so reads stay reads most of the time.
_TOUCH_INTERVAL = timedelta(minutes=1)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def csrf_token_for(session_token: str) -> str:
    """The CSRF token is bound to the session: an HMAC of its token, so nothing is stored."""
    key = get_settings().secret_key.encode()
    return hmac.new(key, b"csrf:" + session_token.encode(), hashlib.sha256).hexdigest()


def csrf_valid(session_token: str, presented: str | None) -> bool:
    return presented is not None and hmac.compare_digest(csrf_token_for(session_token), presented)


def actor_for(user: User, via: Via, token: str | None = None) -> Actor:
    return Actor(
        user_id=user.id,
        email=user.email,
        name=user.name,
        council_id=user.council_id,
        roles=frozenset(Role(role) for role in user.roles),
        is_platform_admin=user.is_platform_admin,
        via=via,
        session_token=token,
    )


def _load_user(session: Session, user_id: uuid.UUID) -> User | None:
    # One statement with the roles joined (selectinload would add a second per user).
    stmt = select(User).where(User.id == user_id).options(joinedload(User.role_rows))
    return session.scalars(stmt).unique().one_or_none()


def _check_rate_limit(session: Session, email: str, ip: str) -> None:
    settings = get_settings()
    since = clock.now() - timedelta(minutes=settings.login_window_minutes)
    by_account = session.scalar(
        select(func.count()).where(LoginFailure.email == email, LoginFailure.at >= since)
    )
    by_ip = session.scalar(
        select(func.count()).where(LoginFailure.ip == ip, LoginFailure.at >= since)
    )
    if (by_account or 0) >= settings.login_max_failures or (
        by_ip or 0
    ) >= settings.login_max_failures:
        minutes = settings.login_window_minutes
        raise TooManyRequests(f"Too many failed sign-in attempts. Try again in {minutes} minutes.")


def login(session: Session, email: str, password: str, ip: str) -> tuple[User, str]:
    """Check credentials and open a session. Unknown email and wrong password look the same."""
    email = email.strip().lower()
    _check_rate_limit(session, email, ip)
    user = session.scalar(
        select(User).where(User.email == email).options(selectinload(User.role_rows))
    )
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        session.add(LoginFailure(email=email, ip=ip, at=clock.now()))
        raise InvalidCredentials("Enter a correct email address and password.")
    if user.password_hash and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.execute(delete(LoginFailure).where(LoginFailure.email == email))
    token = open_session(session, user)
    audit.record(
        session,
        actor_for(user, Via.session),
        "auth.login",
        "user",
        user.id,
        user.council_id,
        f"{user.email} signed in",
    )
    return user, token


def open_session(session: Session, user: User) -> str:
    token = new_token()
    now = clock.now()
    session.add(
        AuthSession(
            token_hash=token_digest(token), user_id=user.id, created_at=now, last_seen_at=now
        )
    )
    session.flush()
    return token


def resolve_session(session: Session, token: str) -> Actor | None:
    """The actor behind a session cookie, or None when unknown, expired or deactivated."""
    settings = get_settings()
    row = session.get(AuthSession, token_digest(token))
    if row is None:
        return None
    now = clock.now()
    idle_expired = now - row.last_seen_at > timedelta(hours=settings.session_idle_hours)
    absolute_expired = now - row.created_at > timedelta(days=settings.session_absolute_days)
    if idle_expired or absolute_expired:
        return None
    user = _load_user(session, row.user_id)
    if user is None or not user.active:
        return None
    if now - row.last_seen_at > _TOUCH_INTERVAL:
        row.last_seen_at = now
    return actor_for(user, Via.session, token)


def resolve_api_token(session: Session, token: str) -> Actor | None:
    # The token, its user and the user's roles in one statement: every API request runs it.
    stmt = (
        select(User, ApiToken.revoked_at)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == token_digest(token))
        .options(joinedload(User.role_rows))
    )
    row = session.execute(stmt).unique().one_or_none()
    if row is None:
        return None
    user, revoked_at = row
    if revoked_at is not None or not user.active:
        return None
    return actor_for(user, Via.token)


def logout(session: Session, actor: Actor) -> None:
    if actor.session_token:
        session.execute(
            delete(AuthSession).where(AuthSession.token_hash == token_digest(actor.session_token))
        )
    audit.record(
        session,
        actor,
        "auth.logout",
        "user",
        actor.user_id,
        actor.council_id,
        f"{actor.email} signed out",
    )


def end_all_sessions(session: Session, user_id: uuid.UUID) -> None:
    session.execute(delete(AuthSession).where(AuthSession.user_id == user_id))


def create_api_token(session: Session, actor: Actor, name: str) -> tuple[ApiToken, str]:
    raw = "tp_" + new_token()
    row = ApiToken(user_id=actor.user_id, name=name, token_hash=token_digest(raw))
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "api_token.create",
        "api_token",
        row.id,
        actor.council_id,
        f"API token '{name}' created",
    )
    return row, raw


def list_api_tokens(session: Session, actor: Actor) -> list[ApiToken]:
    stmt = (
        select(ApiToken)
        .where(ApiToken.user_id == actor.user_id)
        .order_by(ApiToken.created_at, ApiToken.id)
    )
    return list(session.scalars(stmt))


def revoke_api_token(session: Session, actor: Actor, token_id: uuid.UUID) -> None:
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != actor.user_id:
        raise NotFound("No such API token.")
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        audit.record(
            session,
            actor,
            "api_token.revoke",
            "api_token",
            row.id,
            actor.council_id,
            f"API token '{row.name}' revoked",
        )


def get_user(session: Session, user_id: uuid.UUID) -> User | None:
    return _load_user(session, user_id)


def get_user_by_email(session: Session, email: str) -> User | None:
    stmt = (
        select(User)
        .where(User.email == email.strip().lower())
        .options(selectinload(User.role_rows))
    )
    return session.scalar(stmt)


def sign_off_managers(session: Session, user_id: uuid.UUID, council_id: uuid.UUID) -> list[User]:
    """The person's line manager when they are an active manager of the same council;
    otherwise every active manager of the council but the person themselves."""
    user = _load_user(session, user_id)
    if user is not None and user.line_manager_id is not None:
        line_manager = _load_user(session, user.line_manager_id)
        if (
            line_manager is not None
            and line_manager.active
            and line_manager.council_id == council_id
            and Role.manager in line_manager.roles
        ):
            return [line_manager]
    stmt = (
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            User.council_id == council_id,
            User.active.is_(True),
            UserRole.role == Role.manager,
            User.id != user_id,
        )
        .order_by(User.email)
    )
    return list(session.scalars(stmt))
