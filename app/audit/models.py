from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, UUIDPrimaryKey, utcnow_default


class AuditEvent(UUIDPrimaryKey, Base):
    """Append-only: a database trigger refuses UPDATE and DELETE (see the first migration)."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_council_at", "council_id", "at"),
        Index("ix_audit_events_entity", "entity", "entity_id"),
    )

    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # Who it was, as they were named then (a person's name may change; the trail must not).
    actor_name: Mapped[str | None] = mapped_column(String(120))
    # The council whose object changed: who may read this event.
    council_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("councils.id"))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID]
    summary: Mapped[str] = mapped_column(String(500))
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
