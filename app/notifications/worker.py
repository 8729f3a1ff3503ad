"""Delivering the outbox: claim due rows, send each after the claim commits, record the outcome.

The rules (no HTTP here; `talentpool worker` runs `run_worker`):

- **Claim.** `claim_batch` leases up to `limit` due rows (unsent, `available_at <= now`, no live
  lease) by setting `locked_until = now + lease`, and commits. On PostgreSQL the rows are picked
  with `SELECT … FOR UPDATE SKIP LOCKED`, so concurrent workers take disjoint batches without
  waiting on each other; SQLite has no FOR UPDATE, but the app's SQLite transactions begin with
  `BEGIN IMMEDIATE` (one writer at a time) and the UPDATE repeats the "due and not leased" guard,
  so a row leased by another worker is never taken. The lease value we wrote is our claim
  token: the claim is ours exactly while `locked_until` still holds it.
- **Deliver.** No transaction is open while a third party is called. For each claimed message,
  one at a time: (1) a short transaction renews the lease, guarded by our token; no match means
  another worker took the row after our lease ran out, so we leave it; (2) send; (3) a short
  transaction records `sent_at` at once, before the next message is touched. On failure:
  `attempts + 1`, `last_error`, `available_at = now + back-off` (30 s doubling, at most 1 h) and
  the lease is cleared.
- **Crash.** A worker that dies leaves its unsent rows leased; they become due again when the
  lease runs out, so nothing is lost. Messages already marked sent are never sent again.

Exactly once, and its limit: delivery is at-least-once in one narrow window. If the worker dies
(or the database becomes unreachable) after the SMTP server accepted a message but before
`sent_at` committed, the message is sent again when its lease runs out. That resend carries the
same Message-ID (made from the outbox row id, see `app/notifications/email.py`), so it can be
recognised downstream; no protocol can close this window without the receiver's help. The lease
also bounds one send: it must comfortably exceed the SMTP timeout, or a slow send could outlive
the lease and another worker could send the same message (settings: `TP_WORKER_LEASE_SECONDS`).
"""

from __future__ import annotations

import math
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

import structlog
from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.core import clock
from app.core.guarded import claimed
from app.db import session_scope
from app.notifications.email import EmailMessage, EmailSender
from app.notifications.models import OutboxMessage

log = structlog.get_logger("talentpool.worker")

# The kinds of outbox message this worker can deliver; rows of other kinds are left alone.
HANDLED_KINDS: tuple[str, ...] = ("email",)
DEFAULT_LEASE = timedelta(minutes=2)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
_MAX_ERROR_LENGTH = 2000


@dataclass(frozen=True)
class ClaimedMessage:
    id: uuid.UUID
    kind: str
    payload: dict[str, Any]
    attempts: int
    # The `locked_until` this worker wrote; the claim is ours while the row still holds it.
    lease_token: datetime


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    # Taken over by another worker after our lease ran out: not ours to send any more.
    lost: int = 0
    # Handed back unsent because the worker is stopping.
    released: int = 0


def retry_delay(failures: int) -> timedelta:
    """Back-off after the n-th failure in a row: 30 s, 1 min, 2 min, … at most 1 hour."""
    delay = FIRST_RETRY * (1 << min(max(failures - 1, 0), 16))
    return min(delay, LONGEST_RETRY)


def _due(now: datetime, kinds: Sequence[str]) -> list[ColumnElement[bool]]:
    return [
        OutboxMessage.kind.in_(kinds),
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.available_at <= now,
        or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now),
    ]


def claim_batch(
    session: Session, limit: int, lease: timedelta, kinds: Sequence[str] = HANDLED_KINDS
) -> list[ClaimedMessage]:
    """Lease up to `limit` due messages, oldest first, and commit the claim.

    The worker owns this transaction (it is the caller of a third party, like the CLI), so
    unlike a service this function commits: the lease must be visible to other workers before
    anything is sent.
    """
    now = clock.now()
    token = now + lease
    candidates = (
        select(OutboxMessage.id)
        .where(*_due(now, kinds))
        .order_by(OutboxMessage.available_at, OutboxMessage.created_at, OutboxMessage.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        # Rows another worker is claiming right now are skipped, not waited for.
        candidates = candidates.with_for_update(skip_locked=True)
    due = candidates.cte("due")
    claim = (
        update(OutboxMessage)
        # The guard is repeated on the row itself: the database, not this process, decides.
        .where(OutboxMessage.id.in_(select(due.c.id)), *_due(now, kinds))
        .values(locked_until=token)
        .returning(
            OutboxMessage.id,
            OutboxMessage.kind,
            OutboxMessage.payload,
            OutboxMessage.attempts,
            OutboxMessage.available_at,
            OutboxMessage.created_at,
        )
        .execution_options(synchronize_session=False)
    )
    rows = session.execute(claim).all()
    session.commit()
    # RETURNING does not keep the subquery's order.
    rows = sorted(rows, key=lambda row: (row.available_at, row.created_at, row.id))
    return [
        ClaimedMessage(
            id=row.id, kind=row.kind, payload=row.payload, attempts=row.attempts, lease_token=token
        )
        for row in rows
    ]


def _renew_lease(session: Session, message: ClaimedMessage, lease: timedelta) -> datetime | None:
    """Prove the claim is still ours and give this one send a fresh lease; None if lost."""
    token = clock.now() + lease
    mine = claimed(
        session,
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            OutboxMessage.locked_until == message.lease_token,
            OutboxMessage.sent_at.is_(None),
        )
        .values(locked_until=token)
        .execution_options(synchronize_session=False),
    )
    return token if mine else None


def _mark_sent(session: Session, message_id: uuid.UUID) -> None:
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None))
        .values(sent_at=clock.now(), locked_until=None, last_error=None)
        .execution_options(synchronize_session=False)
    )


def _mark_failed(
    session: Session, message: ClaimedMessage, token: datetime, error: BaseException
) -> datetime:
    failures = message.attempts + 1
    retry_at = clock.now() + retry_delay(failures)
    text = f"{type(error).__name__}: {error}"[:_MAX_ERROR_LENGTH]
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            OutboxMessage.locked_until == token,
            OutboxMessage.sent_at.is_(None),
        )
        .values(
            attempts=OutboxMessage.attempts + 1,
            last_error=text,
            available_at=retry_at,
            locked_until=None,
        )
        .execution_options(synchronize_session=False)
    )
    return retry_at


def _release(session: Session, messages: Sequence[ClaimedMessage]) -> None:
    """Hand unsent claims back at once (a stopping worker), instead of waiting out the lease."""
    for message in messages:
        session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message.id,
                OutboxMessage.locked_until == message.lease_token,
                OutboxMessage.sent_at.is_(None),
            )
            .values(locked_until=None)
            .execution_options(synchronize_session=False)
        )


def _email_of(message: ClaimedMessage) -> EmailMessage:
    payload = message.payload
    to, subject, body = payload.get("to"), payload.get("subject"), payload.get("body")
    if not (isinstance(to, str) and isinstance(subject, str) and isinstance(body, str)):
        raise ValueError("an email payload needs the strings to, subject and body")
    return EmailMessage(to=to, subject=subject, body=body, reference=message.id.hex)


def _send(sender: EmailSender, message: ClaimedMessage) -> None:
    if message.kind == "email":
        sender.send(_email_of(message))
        return
    raise ValueError(f"no handler for outbox messages of kind {message.kind!r}")


def deliver(
    session_factory: sessionmaker[Session],
    sender: EmailSender,
    claimed: Sequence[ClaimedMessage],
    lease: timedelta = DEFAULT_LEASE,
    stop: threading.Event | None = None,
) -> DeliveryResult:
    """Send claimed messages one at a time, recording each outcome in its own transaction."""
    result = DeliveryResult()
    for index, message in enumerate(claimed):
        if stop is not None and stop.is_set():
            rest = claimed[index:]
            with session_scope(session_factory) as session:
                _release(session, rest)
            result.released += len(rest)
            break
        with session_scope(session_factory) as session:
            token = _renew_lease(session, message, lease)
        if token is None:
            result.lost += 1
            log.warning("outbox.lease_lost", id=str(message.id), kind=message.kind)
            continue
        try:
            _send(sender, message)
        except Exception as exc:
            with session_scope(session_factory) as session:
                retry_at = _mark_failed(session, message, token, exc)
            result.failed += 1
            log.warning(
                "outbox.failed",
                id=str(message.id),
                kind=message.kind,
                attempts=message.attempts + 1,
                retry_at=retry_at.isoformat(),
                error=f"{type(exc).__name__}: {exc}",
            )
            continue
        # Recorded before the next message is touched: a crash from here on repeats nothing
        # but this one message (the at-least-once window described above).
        with session_scope(session_factory) as session:
            _mark_sent(session, message.id)
        result.sent += 1
        log.info("outbox.sent", id=str(message.id), kind=message.kind)
    return result


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT finish the current message, then stop (only the main thread can
    install signal handlers; a worker run in another thread is stopped through `stop`)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_worker(
    session_factory: sessionmaker[Session],
    sender: EmailSender,
    once: bool = False,
    poll_interval: float = 5.0,
    *,
    batch_size: int = 10,
    lease: timedelta = DEFAULT_LEASE,
    stop: threading.Event | None = None,
    periodic: Callable[[Session], object] | None = None,
) -> int:
    """Deliver due messages until stopped (SIGTERM, SIGINT or `stop`); returns how many were sent.

    `once`: deliver everything that is due now, then return. Otherwise poll every
    `poll_interval` seconds while idle, and survive the database being briefly unreachable.
    `periodic` runs in its own transaction before deliveries, at most once per poll interval.
    """
    stop = stop if stop is not None else threading.Event()
    sent = 0
    last_periodic = -math.inf
    log.info(
        "worker.started", once=once, batch_size=batch_size, lease_seconds=lease.total_seconds()
    )
    with _stop_on_signals(stop):
        while not stop.is_set():
            try:
                # Scheduled jobs (expiring requests, reminders) at most once per poll interval;
                # what they queue is delivered by this same loop.
                if periodic is not None and time.monotonic() - last_periodic >= poll_interval:
                    last_periodic = time.monotonic()
                    with session_factory.begin() as session:
                        periodic(session)
                with session_factory() as session:
                    claimed = claim_batch(session, batch_size, lease)
                if claimed:
                    sent += deliver(session_factory, sender, claimed, lease, stop).sent
                    continue
            except SQLAlchemyError:
                if once:
                    raise
                log.exception("worker.database_error")
            if once:
                break
            stop.wait(poll_interval)
    log.info("worker.stopped", sent=sent)
    return sent
