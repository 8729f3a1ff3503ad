"""Market rates: published day rates per skill family (and, where known, per skill), each with
its source and date, and the history of every change. A row without a figure shows no savings.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, UUIDPrimaryKey, utcnow_default

# A working day, unless the row says otherwise: 7.4 hours (37 hours a week over 5 days).
DEFAULT_DAY_MINUTES = 444


class MarketRate(UUIDPrimaryKey, Base):
    __tablename__ = "market_rates"
    __table_args__ = (
        UniqueConstraint("skill_family", "skill_slug"),
        CheckConstraint(
            "day_rate_pence IS NULL OR (day_rate_pence > 0 AND as_of IS NOT NULL)", name="sourced"
        ),
        CheckConstraint("day_minutes > 0 AND day_minutes <= 1440", name="day_minutes"),
    )

    skill_family: Mapped[str] = mapped_column(String(80))
    # '' for the family's own row; a skill's slug where a figure for that skill is known.
    skill_slug: Mapped[str] = mapped_column(String(60), default="")
    day_rate_pence: Mapped[int | None] = mapped_column(Integer)
    day_minutes: Mapped[int] = mapped_column(Integer, default=DEFAULT_DAY_MINUTES)
    source: Mapped[str] = mapped_column(String(500))
    as_of: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class MarketRateChange(UUIDPrimaryKey, Base):
    """One row per edit, append-only: what the figure became, and who changed it when."""

    __tablename__ = "market_rate_changes"

    market_rate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("market_rates.id"), index=True)
    day_rate_pence: Mapped[int | None] = mapped_column(Integer)
    day_minutes: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(500))
    as_of: Mapped[date | None] = mapped_column(Date)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    changed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    changed_by_name: Mapped[str | None] = mapped_column(String(120))
