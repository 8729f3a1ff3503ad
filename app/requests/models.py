"""Requests for help (the demand side) and officers' offers against them.

Request: `open` → `filled` | `closed` (by the booker, or its closing date passing).
Offer: `made` → `accepted` (its weeks become bookings, same capacity rules) | `withdrawn` (by
the officer, until accepted) | `lapsed` (the request closed first).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, UUIDPrimaryKey, utcnow_default
from app.officers.models import Officer, Skill


class RequestStatus(StrEnum):
    """A request for help: open until filled, closed, or past its closing date."""

    open = "open"
    filled = "filled"
    closed = "closed"


class OfferStatus(StrEnum):
    """An offer: made → accepted, withdrawn by its officer, or lapsed when its request closes."""

    made = "made"
    accepted = "accepted"
    withdrawn = "withdrawn"
    lapsed = "lapsed"


REQUEST_STATUSES = tuple(s.value for s in RequestStatus)
OFFER_STATUSES = tuple(s.value for s in OfferStatus)

help_request_skills = Table(
    "help_request_skills",
    Base.metadata,
    Column("request_id", ForeignKey("help_requests.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skills.id"), primary_key=True),
)


class HelpRequest(UUIDPrimaryKey, Base):
    __tablename__ = "help_requests"
    __table_args__ = (
        CheckConstraint(f"status IN {REQUEST_STATUSES!r}", name="status"),
        CheckConstraint("minutes_per_week > 0 AND minutes_per_week % 15 = 0", name="minutes"),
        CheckConstraint("max_rate_pence IS NULL OR max_rate_pence >= 0", name="max_rate"),
        CheckConstraint("to_start >= from_start", name="weeks_in_order"),
        Index("ix_help_requests_status_created", "status", "created_at", "id"),
        Index("ix_help_requests_council", "council_id", "created_at"),
    )

    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"))
    booker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    from_week: Mapped[str] = mapped_column(String(8))
    to_week: Mapped[str] = mapped_column(String(8))
    from_start: Mapped[date] = mapped_column(Date)
    to_start: Mapped[date] = mapped_column(Date)
    minutes_per_week: Mapped[int] = mapped_column(Integer)
    max_rate_pence: Mapped[int | None] = mapped_column(Integer)
    closes_on: Mapped[date] = mapped_column(Date)
    purchase_order: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(8), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    skills: Mapped[list[Skill]] = relationship(
        secondary=help_request_skills, lazy="raise", order_by="Skill.name"
    )


class Offer(UUIDPrimaryKey, Base):
    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint(f"status IN {OFFER_STATUSES!r}", name="status"),
        # One live offer per officer per request: withdraw it to make another.
        Index(
            "uq_offers_live",
            "request_id",
            "officer_id",
            unique=True,
            sqlite_where=text("status IN ('made', 'accepted')"),
            postgresql_where=text("status IN ('made', 'accepted')"),
        ),
        Index("ix_offers_request", "request_id", "created_at", "id"),
        Index("ix_offers_officer", "officer_id", "status"),
    )

    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("help_requests.id"))
    officer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("officers.id"))
    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"))
    note: Mapped[str] = mapped_column(String(1000), default="")
    status: Mapped[str] = mapped_column(String(10), default="made")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    officer: Mapped[Officer] = relationship(lazy="raise")
    weeks: Mapped[list[OfferWeek]] = relationship(
        lazy="raise", order_by="OfferWeek.week", cascade="all, delete-orphan"
    )


class OfferWeek(UUIDPrimaryKey, Base):
    __tablename__ = "offer_weeks"
    __table_args__ = (
        UniqueConstraint("offer_id", "week"),
        CheckConstraint("minutes > 0 AND minutes % 15 = 0", name="minutes"),
    )

    offer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"))
    week: Mapped[str] = mapped_column(String(8))
    week_start: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    booking_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("bookings.id"))


class SavedSearch(UUIDPrimaryKey, Base):
    """A booker's saved people search; the worker sends one digest a day of newly approved
    hours that match it, never the same officer-week twice."""

    __tablename__ = "saved_searches"
    __table_args__ = (Index("ix_saved_searches_user", "user_id", "created_at", "id"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"))
    name: Mapped[str] = mapped_column(String(120))
    query: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)
    last_digest_on: Mapped[date | None] = mapped_column(Date)


class AlertSent(Base):
    """An officer-week already sent for a saved search: the primary key keeps it to once."""

    __tablename__ = "alerts_sent"

    saved_search_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("saved_searches.id", ondelete="CASCADE"), primary_key=True
    )
    availability_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("availability.id"), primary_key=True
    )
    sent_on: Mapped[date] = mapped_column(Date)
