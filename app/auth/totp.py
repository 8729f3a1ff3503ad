"""Two-factor sign-in with TOTP (RFC 6238: six digits, 30 seconds) and recovery codes.

The secret is kept encrypted (app/auth/crypto.py); a code is accepted for the time step
before and after the server's (clock drift) and once only: the step used is stored with a
guarded UPDATE, so a code seen over a shoulder, or sent twice at once, works once. The QR
code that carries the secret to an authenticator app is drawn here on the server, as SVG.
Ten recovery codes are shown once and stored as digests; each works once.
"""

from __future__ import annotations

import secrets
import uuid

import pyotp
import segno
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from app.auth import crypto
from app.auth.models import RecoveryCode, User
from app.config import get_settings
from app.core import clock
from app.core.tokens import token_digest

RECOVERY_CODES = 10
STEP_SECONDS = 30
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from paper


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=get_settings().totp_issuer)


def qr_svg_data_uri(uri: str) -> str:
    """The QR code of an otpauth:// URI as an SVG data URI (for an <img>)."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=4, border=2))


def secret_of(user: User) -> str | None:
    return crypto.decrypt(user.totp_secret) if user.totp_secret else None


def _normalise(code: str) -> str:
    return "".join(code.split())


def matching_step(secret: str, code: str) -> int | None:
    """The time step (around now, one either side) whose code is `code`, or None."""
    code = _normalise(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    # The real time, never TP_TODAY's: the person's phone keeps the real time.
    step = int(clock.wall_time()) // STEP_SECONDS
    for candidate in (step, step - 1, step + 1):
        if secrets.compare_digest(totp.at(candidate * STEP_SECONDS), code):
            return candidate
    return None


def use_code(session: Session, user: User, code: str) -> bool:
    """Whether `code` is the user's current code, used now for the first time. The step is
    claimed with one guarded UPDATE (row count 1), so the same code never works twice."""
    secret = secret_of(user)
    if secret is None:
        return False
    step = matching_step(secret, code)
    if step is None:
        return False
    claimed = session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def _recovery_digest(user_id: uuid.UUID, code: str) -> str:
    return token_digest(f"recovery:{user_id}:{_normalise(code).lower().replace('-', '')}")


def new_recovery_codes(session: Session, user: User) -> list[str]:
    """Ten fresh codes (the old ones stop working); only their digests are stored."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(user_id=user.id, code_hash=_recovery_digest(user.id, raw)))
    session.flush()
    return codes


def use_recovery_code(session: Session, user: User, code: str) -> bool:
    """Whether `code` is one of the user's unused recovery codes; it is used up now (a
    guarded UPDATE: two requests with the same code, one wins)."""
    if len(code) > 40:
        return False
    used = session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _recovery_digest(user.id, code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    return bool(used.rowcount == 1)  # type: ignore[attr-defined]


def recovery_codes_left(session: Session, user_id: uuid.UUID) -> int:
    stmt = select(func.count()).where(
        RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None)
    )
    return session.scalar(stmt) or 0
