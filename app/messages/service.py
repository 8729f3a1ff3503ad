"""Messages on a request for help or a booking. Who may read and write a thread is decided by
the domain that owns its subject (requests, bookings): this service only stores and lists."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.actor import Actor
from app.core.pagination import PageParams, keyset_page
from app.messages.models import Message


def list_messages(
    session: Session, subject: str, subject_id: uuid.UUID, params: PageParams
) -> tuple[list[Message], str | None]:
    """Oldest first, as a conversation reads."""
    stmt = select(Message).where(Message.subject == subject, Message.subject_id == subject_id)
    return keyset_page(session, stmt, [Message.created_at, Message.id], params)


def post(session: Session, actor: Actor, subject: str, subject_id: uuid.UUID, text: str) -> Message:
    message = Message(
        subject=subject,
        subject_id=subject_id,
        author_id=actor.user_id,
        author_name=actor.name[:120],
        author_council_id=actor.council_id,
        text=text,
    )
    session.add(message)
    session.flush()
    return message
