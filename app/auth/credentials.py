"""What a person changes about how they sign in: their password (knowing the current one, or
through an emailed reset link) and their two-factor sign-in (set up, confirmed, reset)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth import crypto, limits, passwords, totp
from app.auth.models import AuthSession, PasswordReset, RecoveryCode, User
from app.auth.service import (
    actor_for,
    end_all_sessions,
    get_user,
    get_user_by_email,
    hash_password,
    two_factor_required,
    verify_password,
)
from app.config import get_settings
from app.core import clock
from app.core.actor import Actor, Via
from app.core.errors import Conflict, InvalidCredentials, NotFound
from app.core.tokens import new_token, token_digest
from app.notifications import service as notifications


def _user(session: Session, actor: Actor) -> User:
    user = get_user(session, actor.user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


# --- passwords ------------------------------------------------------------------------------


def change_password(session: Session, actor: Actor, current: str, new: str, ip: str) -> None:
    """A new password, given the current one (a wrong one counts towards the sign-in limits).
    Every other session of the person ends; this one goes on."""
    user = _user(session, actor)
    limits.check_and_count_failure(session, user.email, ip)
    if not verify_password(user.password_hash, current):
        raise InvalidCredentials("Your current password is not right.")
    limits.record_success(session, user.email, ip)
    passwords.check(new, user.email, user.name, field="new_password")
    user.password_hash = hash_password(new)
    current_hash = token_digest(actor.session_token) if actor.session_token else ""
    session.execute(
        delete(AuthSession).where(
            AuthSession.user_id == user.id, AuthSession.token_hash != current_hash
        )
    )
    audit.record(
        session,
        actor,
        "auth.password_change",
        "user",
        user.id,
        user.council_id,
        f"{user.email} changed their password",
    )


def request_reset(session: Session, email: str, ip: str) -> None:
    """Email a reset link when the address has an active account; say nothing either way.
    Every request counts against the sign-in limiter's limits under its own kind (per address
    and client, per address, per client), known address or not, so the answer (202, or 429
    once over a limit) tells nothing about the address."""
    email = email.strip().lower()
    limits.check_and_count_failure(session, email, ip, kind="reset")
    user = get_user_by_email(session, email)
    if user is None or not user.active:
        return
    token = new_token()
    now = clock.now()
    minutes = get_settings().password_reset_valid_minutes
    session.add(
        PasswordReset(
            token_hash=token_digest(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    link = f"{get_settings().public_url}/password-reset/{token}"
    notifications.queue_email(
        session,
        to=user.email,
        subject="Reset your LocalGov Talent Pool password",
        body=(
            f"Hello {user.name},\n\nSomeone (we hope you) asked to reset the password of your "
            f"LocalGov Talent Pool account. Choose a new one here (the link works once, for "
            f"{minutes} minutes):\n{link}\n\nIf it was not you, ignore this email: your "
            f"password stays as it is.\n"
        ),
    )
    audit.record(
        session,
        None,
        "auth.password_reset_request",
        "user",
        user.id,
        user.council_id,
        f"Password reset link sent to {user.email}",
    )


def complete_reset(session: Session, token: str, password: str) -> User:
    """Set a new password with a reset link: the link is used up with one guarded UPDATE (two
    racing uses: one wins), and every session of the person ends."""
    now = clock.now()
    digest = token_digest(token)
    reset = session.scalar(select(PasswordReset).where(PasswordReset.token_hash == digest))
    user = get_user(session, reset.user_id) if reset is not None else None
    if reset is None or user is None or not user.active:
        raise Conflict("This reset link is not valid. Ask for a new one.")
    passwords.check(password, user.email, user.name)
    used = session.execute(
        update(PasswordReset)
        .where(
            PasswordReset.token_hash == digest,
            PasswordReset.used_at.is_(None),
            PasswordReset.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("This reset link has been used or has expired. Ask for a new one.")
    user.password_hash = hash_password(password)
    end_all_sessions(session, user.id)
    session.execute(
        delete(PasswordReset).where(
            PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)
        )
    )
    audit.record(
        session,
        actor_for(user, Via.session),
        "auth.password_reset",
        "user",
        user.id,
        user.council_id,
        f"{user.email} reset their password; every session ended",
    )
    return user


# --- two-factor sign-in ---------------------------------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    secret: str
    otpauth_uri: str
    qr_svg: str


def start_two_factor(session: Session, actor: Actor) -> Enrolment:
    """A new secret to add to an authenticator app; it counts once a code confirms it.
    Someone with two-factor sign-in already must reset it first (with a code)."""
    user = _user(session, actor)
    if user.totp_enabled_at is not None:
        raise Conflict("Two-factor sign-in is set up already. Reset it first to start again.")
    secret = totp.new_secret()
    user.totp_secret = crypto.encrypt(secret)
    user.totp_last_step = None
    uri = totp.provisioning_uri(secret, user.email)
    return Enrolment(secret=secret, otpauth_uri=uri, qr_svg=totp.qr_svg_data_uri(uri))


def confirm_two_factor(session: Session, actor: Actor, code: str, ip: str) -> list[str]:
    """The first code proves the app has the secret: two-factor sign-in is on, the session may
    go on, and ten recovery codes are made (shown this once)."""
    user = _user(session, actor)
    if user.totp_secret is None or user.totp_enabled_at is not None:
        raise Conflict("Start setting up two-factor sign-in first.")
    limits.check_and_count_failure(session, user.email, ip, kind="totp")
    if not totp.use_code(session, user, code):
        raise InvalidCredentials("The code is not right. Check the time on your phone.")
    limits.record_success(session, user.email, ip, kind="totp")
    user.totp_enabled_at = clock.now()
    session.execute(
        update(AuthSession).where(AuthSession.user_id == user.id).values(must_enrol=False)
    )
    codes = totp.new_recovery_codes(session, user)
    audit.record(
        session,
        actor,
        "auth.two_factor_on",
        "user",
        user.id,
        user.council_id,
        f"{user.email} set up two-factor sign-in",
    )
    return codes


def reset_two_factor(
    session: Session, actor: Actor, code: str | None, recovery_code: str | None, ip: str
) -> None:
    """Turn two-factor sign-in off (to set it up again, e.g. on a new phone), proven with a
    current code or a recovery code. Those who must have it are asked to set it up again at
    their next request."""
    user = _user(session, actor)
    if user.totp_enabled_at is None:
        raise Conflict("Two-factor sign-in is not set up.")
    limits.check_and_count_failure(session, user.email, ip, kind="totp")
    ok = totp.use_code(session, user, code) if code else False
    if not ok and recovery_code:
        ok = totp.use_recovery_code(session, user, recovery_code)
    if not ok:
        raise InvalidCredentials("The code is not right, or it has been used already.")
    limits.record_success(session, user.email, ip, kind="totp")
    user.totp_enabled_at = None
    user.totp_secret = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    if two_factor_required(session, user):
        session.execute(
            update(AuthSession).where(AuthSession.user_id == user.id).values(must_enrol=True)
        )
    audit.record(
        session,
        actor,
        "auth.two_factor_off",
        "user",
        user.id,
        user.council_id,
        f"{user.email} reset two-factor sign-in",
    )


def two_factor_status(session: Session, actor: Actor) -> tuple[bool, int]:
    """Whether two-factor sign-in is on, and how many recovery codes are left."""
    user = _user(session, actor)
    on = user.totp_enabled_at is not None
    return on, totp.recovery_codes_left(session, user.id) if on else 0


def enrol_with_secret(session: Session, user: User, secret: str) -> None:
    """Two-factor sign-in on with a known secret (the demo's people, whose secrets `make run`
    prints); no recovery codes."""
    user.totp_secret = crypto.encrypt(secret)
    user.totp_enabled_at = clock.now()
    user.totp_last_step = None
