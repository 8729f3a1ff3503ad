"""Sign-in throttling, after OWASP's guidance on credential stuffing.

Every attempt counts as a failure *before* the secret is checked, in one guarded upsert per
key that also checks the key's limit: the count and the check are one atomic step, so forty
concurrent guesses can never get more than the limit checked. A success then gives the
attempt back (`record_success`). Limits hold per window of `login_window_minutes`:

- the account from one address (`login_max_failures`, 10): one person mistyping, or one
  attacker guessing one account;
- the account from any address (`login_max_failures_per_account`, 50): a distributed guess
  at one account;
- the address over every account (`login_max_failures_per_ip`, 100): credential stuffing from
  one address, loose enough that colleagues' typos never lock out an office behind one address.

The address is the client's as `TrustedProxyMiddleware` established it (TP_TRUSTED_PROXIES).
Other secrets (a TOTP code, a recovery code) use the same two functions with their own `kind`:

    check_and_count_failure(session, user.email, ip, kind="totp")   # 429 when over a limit
    if not valid: raise InvalidCredentials(...)                      # keep_changes: counted
    record_success(session, user.email, ip, kind="totp")
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import case, delete, literal, or_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.auth.models import LoginThrottle
from app.config import get_settings
from app.core import clock
from app.core.errors import TooManyRequests
from app.db import UTCDateTime


def _hash(kind: str, scope: str, *parts: str) -> str:
    return hashlib.sha256("\x00".join((kind, scope, *parts)).encode()).hexdigest()


def _limits(kind: str, account: str, ip: str) -> list[tuple[str, int]]:
    """(key hash, limit) for each key an attempt counts against, always in this order (so
    concurrent attempts take PostgreSQL's row locks in the same order: no deadlock)."""
    settings = get_settings()
    account = account.strip().lower()
    return [
        (_hash(kind, "pair", account, ip), settings.login_max_failures),
        (_hash(kind, "account", account), settings.login_max_failures_per_account),
        (_hash(kind, "ip", ip), settings.login_max_failures_per_ip),
    ]


def check_and_count_failure(session: Session, account: str, ip: str, kind: str = "login") -> None:
    """Count one attempt against every limit, or raise TooManyRequests (429) when any limit is
    reached; then nothing of this attempt is kept (the request's transaction rolls back)."""
    now = clock.now()
    window = get_settings().login_window_minutes
    for key_hash, limit in _limits(kind, account, ip):
        if not _counted(session, key_hash, limit, now, now - timedelta(minutes=window)):
            raise TooManyRequests(
                f"Too many failed sign-in attempts. Try again in {window} minutes."
            )


def _counted(session: Session, key_hash: str, limit: int, now: datetime, cutoff: datetime) -> bool:
    """One more failure for the key unless it has `limit` already in the current window (a
    window older than `cutoff` starts again at one). True when counted."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    stale = LoginThrottle.window_started_at < cutoff
    statement = (
        insert(LoginThrottle)
        .values(key_hash=key_hash, window_started_at=now, failures=1)
        .on_conflict_do_update(
            index_elements=[LoginThrottle.key_hash],
            set_={
                "failures": case((stale, 1), else_=LoginThrottle.failures + 1),
                "window_started_at": case(
                    (stale, literal(now, UTCDateTime())), else_=LoginThrottle.window_started_at
                ),
            },
            where=or_(stale, LoginThrottle.failures < limit),
        )
        .returning(LoginThrottle.key_hash)
    )
    return session.execute(statement).first() is not None


def record_success(session: Session, account: str, ip: str, kind: str = "login") -> None:
    """The attempt just counted succeeded: the account's failures (from this address and from
    any) are forgiven, and the address gets back the one attempt."""
    pair, account_key, ip_key = (key for key, _limit in _limits(kind, account, ip))
    session.execute(delete(LoginThrottle).where(LoginThrottle.key_hash.in_([pair, account_key])))
    session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key_hash == ip_key, LoginThrottle.failures > 0)
        .values(failures=LoginThrottle.failures - 1)
    )
