"""Who is asking: passwords, sessions, API tokens, CSRF, rate limiting and the Actor."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from app.audit import service as audit
from app.auth import limits
from app.auth.models import ApiToken, AuthSession, User, UserRole
from app.config import get_settings
from app.core import clock
from app.core.actor import Actor, Role, Via
from app.core.errors import InvalidCredentials, NotFound
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


def login(session: Session, email: str, password: str, ip: str) -> tuple[User, str]:
    """Check credentials and open a session. Unknown email and wrong password look the same.
    The attempt is counted (and refused over a limit) before the password is checked."""
    email = email.strip().lower()
    limits.check_and_count_failure(session, email, ip)
    user = session.scalar(
        select(User).where(User.email == email).options(selectinload(User.role_rows))
    )
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        raise InvalidCredentials("Enter a correct email address and password.")  # stays counted
    if user.password_hash and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    limits.record_success(session, email, ip)
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


def resolve_session(session: Session, token: str, touch: bool = True) -> Actor | None:
    """The actor behind a session cookie, or None when unknown, expired or deactivated.

    With `touch`, a session last seen over a minute ago is marked seen now, in this
    transaction; requests that only read pass False and call `touch_session` in a write
    transaction of its own when `session_touch_due` says so.
    """
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
    if touch and now - row.last_seen_at > _TOUCH_INTERVAL:
        row.last_seen_at = now
    return actor_for(user, Via.session, token)


def session_touch_due(session: Session, token: str) -> bool:
    """Whether the session behind `token` was last seen long enough ago to be touched."""
    row = session.get(AuthSession, token_digest(token))  # already loaded: no second query
    return row is not None and clock.now() - row.last_seen_at > _TOUCH_INTERVAL


def touch_session(session: Session, token: str) -> None:
    """Mark the session seen now, unless a concurrent request just did (a guarded UPDATE, so
    racing touches write once and never conflict)."""
    now = clock.now()
    session.execute(
        update(AuthSession)
        .where(
            AuthSession.token_hash == token_digest(token),
            AuthSession.last_seen_at < now - _TOUCH_INTERVAL,
        )
        .values(last_seen_at=now)
    )


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
