"""Who is asking: passwords, sessions, API tokens, CSRF, rate limiting and the Actor."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Select, bindparam, delete, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from app.audit import service as audit
from app.auth import limits, totp
from app.auth.models import ApiToken, AuthSession, CouncilSignIn, User, UserRole
from app.config import get_settings
from app.core import clock
from app.core.actor import Actor, Role, Via
from app.core.errors import InvalidCredentials, NotFound, SecondFactorRequired
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


@dataclass(frozen=True)
class Client:
    """Where a sign-in comes from: the client's address and its browser."""

    ip: str
    user_agent: str | None = None


@dataclass(frozen=True)
class SecondFactor:
    """What the person gave besides their password (at most one is used)."""

    totp: str | None = None
    recovery_code: str | None = None


def login(
    session: Session,
    email: str,
    password: str,
    client: Client | str,
    second: SecondFactor | None = None,
) -> tuple[User, str]:
    """Check credentials and open a session. Unknown email and wrong password look the same.
    The attempt is counted (and refused over a limit) before the password is checked; a wrong
    second-factor code leaves it counted, so codes count towards the same limits."""
    client = client if isinstance(client, Client) else Client(ip=client)
    email = email.strip().lower()
    limits.check_and_count_failure(session, email, client.ip)
    user = session.scalar(
        select(User).where(User.email == email).options(selectinload(User.role_rows))
    )
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        raise InvalidCredentials("Enter a correct email address and password.")  # stays counted
    if sso_covers(session, user):
        limits.record_success(session, email, client.ip)
        raise InvalidCredentials(
            "Your council signs you in with its own account: use 'Continue' with your email."
        )
    if user.password_hash and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    _check_second_factor(session, user, second or SecondFactor(), client.ip)
    limits.record_success(session, email, client.ip)
    token = open_session(session, user, client)
    must_enrol = session_of(session, token).must_enrol  # type: ignore[union-attr]
    audit.record(
        session,
        actor_for(user, Via.session),
        "auth.login",
        "user",
        user.id,
        user.council_id,
        f"{user.email} signed in" + (" (two-factor set-up required)" if must_enrol else ""),
    )
    return user, token


def _check_second_factor(session: Session, user: User, second: SecondFactor, ip: str) -> None:
    """Nothing to do unless the person has two-factor sign-in; then a code is needed. Without
    one the password alone is forgiven (the client asks for the code); a wrong one stays
    counted against the sign-in limits and against the codes' own."""
    if user.totp_enabled_at is None:
        return
    if not second.totp and not second.recovery_code:
        limits.record_success(session, user.email, ip)
        raise SecondFactorRequired(
            "Enter the 6-digit code from your authenticator app, or a recovery code."
        )
    limits.check_and_count_failure(session, user.email, ip, kind="totp")
    if second.totp:
        ok = totp.use_code(session, user, second.totp)
    else:
        ok = totp.use_recovery_code(session, user, second.recovery_code or "")
    if not ok:
        raise InvalidCredentials("The code is not right, or it has been used already.")
    limits.record_success(session, user.email, ip, kind="totp")
    if second.recovery_code:
        audit.record(
            session,
            actor_for(user, Via.session),
            "auth.recovery_code_used",
            "user",
            user.id,
            user.council_id,
            f"{user.email} signed in with a recovery code",
        )


def sign_in_settings(session: Session, council_id: uuid.UUID | None) -> CouncilSignIn | None:
    return session.get(CouncilSignIn, council_id) if council_id else None


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower()


def sso_covers(session: Session, user: User) -> bool:
    """Whether the person's council signs them in through its own provider."""
    row = sign_in_settings(session, user.council_id)
    return bool(row and row.issuer and email_domain(user.email) in row.email_domains)


def two_factor_required(session: Session, user: User) -> bool:
    """Finance, council admins and platform admins need two-factor sign-in with a password;
    so does everyone when their council's setting says so."""
    if user.is_platform_admin or {Role.finance, Role.council_admin} & set(user.roles):
        return True
    row = sign_in_settings(session, user.council_id)
    return bool(row and row.require_two_factor)


def open_session(
    session: Session,
    user: User,
    client: Client | None = None,
    *,
    sso_council_id: uuid.UUID | None = None,
    id_token: str | None = None,
) -> str:
    """A new session. One that starts with a password, for a person who must use two-factor
    sign-in and has not set it up, reaches only the set-up until it is done (`must_enrol`);
    single sign-on leaves the second factor to the provider."""
    must_enrol = (
        sso_council_id is None
        and user.totp_enabled_at is None
        and two_factor_required(session, user)
    )
    token = new_token()
    now = clock.now()
    session.add(
        AuthSession(
            token_hash=token_digest(token),
            id=uuid.uuid4(),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            method="sso" if sso_council_id else "password",
            user_agent=(client.user_agent or "")[:300] or None if client is not None else None,
            ip=client.ip[:64] if client is not None else None,
            must_enrol=must_enrol,
            sso_council_id=sso_council_id,
            id_token=id_token,
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
    # The session, its user and the user's roles in one statement: every request runs it.
    found = (
        session.execute(
            select(AuthSession, User)
            .join(User, User.id == AuthSession.user_id)
            .where(AuthSession.token_hash == token_digest(token))
            .options(joinedload(User.role_rows))
        )
        .unique()
        .one_or_none()
    )
    if found is None:
        return None
    row, user = found
    now = clock.now()
    idle_expired = now - row.last_seen_at > timedelta(hours=settings.session_idle_hours)
    absolute_expired = now - row.created_at > timedelta(days=settings.session_absolute_days)
    if idle_expired or absolute_expired or not user.active:
        return None
    # The identity map holds its rows weakly: keep this one for the request, so that
    # `session_of` and `session_touch_due` find it there instead of asking the database again.
    session.info["auth_session"] = row
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


@cache
def _token_actor() -> Select[
    uuid.UUID, str, str, uuid.UUID | None, bool, bool, datetime | None, str | None
]:
    # The token, its user and the user's roles in one statement of plain columns (a row per
    # role): every API request runs it, so it is built once and loads no ORM objects.
    return (
        select(
            User.id,
            User.email,
            User.name,
            User.council_id,
            User.active,
            User.is_platform_admin,
            ApiToken.revoked_at,
            UserRole.role,
        )
        .join(ApiToken, ApiToken.user_id == User.id)
        .outerjoin(UserRole, UserRole.user_id == User.id)
        .where(ApiToken.token_hash == bindparam("token_hash"))
    )


def resolve_api_token(session: Session, token: str) -> Actor | None:
    rows = session.execute(_token_actor(), {"token_hash": token_digest(token)}).all()
    if not rows:
        return None
    user_id, email, name, council_id, active, is_platform_admin, revoked_at, _ = rows[0]
    if revoked_at is not None or not active:
        return None
    return Actor(
        user_id=user_id,
        email=email,
        name=name,
        council_id=council_id,
        roles=frozenset(Role(row.role) for row in rows if row.role is not None),
        is_platform_admin=is_platform_admin,
        via=Via.token,
    )


def session_of(session: Session, token: str) -> AuthSession | None:
    """The session row behind a cookie (already loaded by `resolve_session`: no query)."""
    return session.get(AuthSession, token_digest(token))


def logout(session: Session, actor: Actor) -> AuthSession | None:
    """End the actor's session; the row ended (its provider and ID token, for the provider's
    own sign-out) is returned."""
    row = session_of(session, actor.session_token) if actor.session_token else None
    if row is not None:
        session.delete(row)
    audit.record(
        session,
        actor,
        "auth.logout",
        "user",
        actor.user_id,
        actor.council_id,
        f"{actor.email} signed out",
    )
    return row


def list_sessions(session: Session, actor: Actor) -> list[AuthSession]:
    """The actor's sessions still alive, the most recently used first."""
    settings = get_settings()
    now = clock.now()
    stmt = (
        select(AuthSession)
        .where(
            AuthSession.user_id == actor.user_id,
            AuthSession.last_seen_at > now - timedelta(hours=settings.session_idle_hours),
            AuthSession.created_at > now - timedelta(days=settings.session_absolute_days),
        )
        .order_by(AuthSession.last_seen_at.desc(), AuthSession.id)
    )
    return list(session.scalars(stmt))


def end_session(session: Session, actor: Actor, session_id: uuid.UUID) -> None:
    """End one of the actor's own sessions (another person's answers 404)."""
    row = session.scalar(select(AuthSession).where(AuthSession.id == session_id))
    if row is None or row.user_id != actor.user_id:
        raise NotFound("No such session.")
    session.delete(row)
    audit.record(
        session,
        actor,
        "auth.session_end",
        "user",
        actor.user_id,
        actor.council_id,
        f"{actor.email} ended a session",
    )


def end_other_sessions(session: Session, actor: Actor) -> int:
    """End every session of the actor's but the one making the request."""
    current = token_digest(actor.session_token) if actor.session_token else ""
    ended = session.execute(
        delete(AuthSession).where(
            AuthSession.user_id == actor.user_id, AuthSession.token_hash != current
        )
    )
    count = int(ended.rowcount)  # type: ignore[attr-defined]
    audit.record(
        session,
        actor,
        "auth.sessions_end_others",
        "user",
        actor.user_id,
        actor.council_id,
        f"{actor.email} signed out everywhere else ({count} sessions)",
    )
    return count


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


def sign_off_managers(
    session: Session, user_id: uuid.UUID, council_id: uuid.UUID, user: User | None = None
) -> list[User]:
    """The person's line manager when they are an active manager of the same council;
    otherwise every active manager of the council but the person themselves. `user`: the
    person's account when the caller has it already (it is not read again)."""
    if user is None:
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
    return list(
        session.scalars(_council_managers(), {"council_id": council_id, "user_id": user_id})
    )


@cache
def _council_managers() -> Select[User]:
    """The active managers of a council but one person (built once: every booking asks)."""
    return (
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            User.council_id == bindparam("council_id"),
            User.active.is_(True),
            UserRole.role == Role.manager,
            User.id != bindparam("user_id"),
        )
        .order_by(User.email)
    )


_BROWSERS = (
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe_device(user_agent: str | None) -> str:
    """ "Firefox on Windows", from a User-Agent (best effort; "Unknown device" otherwise)."""
    if not user_agent:
        return "Unknown device"
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or user_agent[:60]
