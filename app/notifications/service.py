"""The transactional outbox: queue work in the caller's transaction; the worker delivers it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.core import clock
from app.notifications.models import OutboxMessage, new_dedupe_key


def queue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    dedupe_key: str | None = None,
    available_at: datetime | None = None,
) -> OutboxMessage | None:
    """Queue a message unless one with the same dedupe key is already queued."""
    key = dedupe_key or new_dedupe_key()
    queued = select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)
    if dedupe_key and session.scalar(queued):
        return None
    message = OutboxMessage(kind=kind, dedupe_key=key, payload=payload)
    if available_at is not None:
        message.available_at = available_at
    session.add(message)
    return message


def queue_email(
    session: Session, to: str, subject: str, body: str, dedupe_key: str | None = None
) -> OutboxMessage | None:
    return queue(session, "email", {"to": to, "subject": subject, "body": body}, dedupe_key)


def unsent_ids(session: Session) -> set[uuid.UUID]:
    """The messages waiting for the worker now."""
    return set(session.scalars(select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None))))


def settle_all_but(session: Session, keep: set[uuid.UUID]) -> int:
    """Marks every waiting message not in `keep` as sent, without sending it. For demo data:
    its history is written as if it had happened weeks ago, and so had its emails; only what
    happens from now on should reach people (or the terminal). Returns how many."""
    session.flush()
    stmt = update(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
    if keep:
        stmt = stmt.where(OutboxMessage.id.not_in(keep))
    result = session.execute(stmt.values(sent_at=clock.now()))
    return int(getattr(result, "rowcount", 0) or 0)
