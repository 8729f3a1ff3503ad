from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow_default


class StripeEvent(Base):
    """Every Stripe webhook event we accepted, stored under Stripe's own event id.

    Stored first (insert, ignore on conflict), then handled once: `processed_at` is set by the
    guarded UPDATE that claims it, so a replayed or concurrent delivery does nothing twice.
    """

    __tablename__ = "stripe_events"

    # Stripe's event id (evt_…); Stripe's ids are at most 255 characters.
    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
