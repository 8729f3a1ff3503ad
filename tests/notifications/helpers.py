"""Queue tagged emails and read their outbox rows back, through sessions that really commit."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.db import session_scope
from app.notifications.models import OutboxMessage
from app.notifications.service import queue_email


def queue_emails(factory: sessionmaker[Session], tag: str, count: int) -> list[uuid.UUID]:
    """Queue `count` emails with subjects `<tag> #00`, `<tag> #01`, … and commit them."""
    with session_scope(factory) as session:
        rows = [
            queue_email(session, f"person{i}@{tag}.example.gov.uk", f"{tag} #{i:02}",
                        f"Message {i} for {tag}.\nCharges: £120.50 a day.",
                        dedupe_key=f"{tag}-{i}")
            for i in range(count)
        ]
        session.flush()
        return [row.id for row in rows if row is not None]


def outbox_rows(factory: sessionmaker[Session], ids: list[uuid.UUID]) -> dict[uuid.UUID,
                                                                             OutboxMessage]:
    with session_scope(factory) as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))).all()
        return {row.id: row for row in rows}
