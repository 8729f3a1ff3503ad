from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.councils.models import Council
from app.db import Base, UTCDateTime, UUIDPrimaryKey, utcnow_default

officer_skills = Table(
    "officer_skills",
    Base.metadata,
    Column("officer_id", ForeignKey("officers.id", ondelete="CASCADE"), primary_key=True),
    Column("skill_id", ForeignKey("skills.id"), primary_key=True, index=True),
)


class Skill(Base):
    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    family: Mapped[str] = mapped_column(String(80))


class Officer(UUIDPrimaryKey, Base):
    """An officer's public profile, their consent and their recharge rate."""

    __tablename__ = "officers"
    __table_args__ = (CheckConstraint("rate_pence_per_hour >= 0", name="rate"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), unique=True)
    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(120))
    job_title: Mapped[str] = mapped_column(String(120), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    # The officer's own choice to be listed; other councils see them only when they also
    # consented and their council accepted the agreement (officers.service.is_listed).
    visible: Mapped[bool] = mapped_column(Boolean, default=False)
    # None: the council's default rate applies.
    rate_pence_per_hour: Mapped[int | None] = mapped_column(Integer)
    consent_version: Mapped[str | None] = mapped_column(String(20))
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The secret address of the officer's calendar feed (stored hashed; rotated on request).
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow_default)

    council: Mapped[Council] = relationship(lazy="raise")
    skills: Mapped[list[Skill]] = relationship(
        secondary=officer_skills, lazy="raise", order_by="Skill.name"
    )


class OfficerSearchTerm(Base):
    """The words of an officer's name, job title, summary and skills, one row each.

    Free-text search matches query words as prefixes (`term >= 'plan' AND term < 'plao'`), a
    B-tree range that both engines answer from the primary key's index, not a scan.
    """

    __tablename__ = "officer_search_terms"

    term: Mapped[str] = mapped_column(String(40), primary_key=True)
    officer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("officers.id", ondelete="CASCADE"), primary_key=True, index=True
    )
