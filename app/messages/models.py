"""Conversations on requests for help and bookings: plain text, part of the record."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, UUIDPrimaryKey, utcnow_default

SUBJECTS = ("request", "booking")


class Message(UUIDPrimaryKey, Base):
    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint(f"subject IN {SUBJECTS!r}", name="subject"),
        Index("ix_messages_thread", "subject", "subject_id", "created_at", "id"),
        Index("ix_messages_author", "author_id"),
    )

    subject: Mapped[str] = mapped_column(String(8))
    subject_id: Mapped[uuid.UUID] = mapped_column()
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    author_name: Mapped[str] = mapped_column(String(120))
    author_council_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("councils.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
