from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, UUIDPrimaryKey, utcnow_default


class OutboxMessage(UUIDPrimaryKey, Base):
    """Work for after the commit (emails, third-party calls), written in the same transaction.

    The worker claims due rows, delivers them and marks them sent; `dedupe_key` stops the same
    message being queued twice.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "sent_at", "available_at"),)

    kind: Mapped[str] = mapped_column(String(40))
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    available_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)


def new_dedupe_key() -> str:
    return uuid.uuid4().hex


class Notification(UUIDPrimaryKey, Base):
    """A line in a person's in-app notifications: everything emailed to them lands here too,
    written in the same transaction as the change (so it exists even when no email goes out).

    Addressed by email address (stored lower-case, as users' are), because that is what the
    service emails: notifications depends only on core, never on the auth domain.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_recipient", "recipient_email", "created_at", "id"),
        Index("ix_notifications_unread", "recipient_email", "read_at"),
    )

    recipient_email: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(String(300))
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
