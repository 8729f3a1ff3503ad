"""A council's dashboard: the last months of lending and borrowing, the skills most lent and
borrowed, partner councils with the balance with each, and estimated savings."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.bookings.reads import Scope
from app.core import clock
from app.core.actor import Actor, Role, require_council
from app.core.errors import InvalidInput
from app.reports import values
from app.reports.rates import MarketFigure, PrimarySkill, RateBook, primary_skills

DASHBOARD_ROLES = (Role.council_admin, Role.finance, Role.manager)
TOP_SKILLS = 5


@dataclass
class MonthFigures:
    month: str
    lent_bookings: int = 0
    lent_minutes: int = 0
    lent_pence: int = 0
    borrowed_bookings: int = 0
    borrowed_minutes: int = 0
    borrowed_pence: int = 0
    # Savings on the hours this council borrowed (where a market figure exists), and on the
    # hours it lent (what the other councils saved).
    borrowed_savings_pence: int = 0
    lent_savings_pence: int = 0
    minutes_with_market_rate: int = 0


@dataclass
class SkillFigures:
    skill: PrimarySkill
    bookings: int = 0
    minutes: int = 0


@dataclass
class PartnerFigures:
    council_id: uuid.UUID
    lent_minutes: int = 0
    lent_pence: int = 0
    borrowed_minutes: int = 0
    borrowed_pence: int = 0
    outstanding_pence: int = 0

    @property
    def net_pence(self) -> int:
        return self.lent_pence - self.borrowed_pence


@dataclass
class Dashboard:
    council_id: uuid.UUID
    months: list[MonthFigures]
    skills_lent: list[SkillFigures]
    skills_borrowed: list[SkillFigures]
    partners: list[PartnerFigures]
    sources: list[MarketFigure] = field(default_factory=list)


def _top(counter: dict[str, SkillFigures]) -> list[SkillFigures]:
    ranked = sorted(counter.values(), key=lambda s: (-s.minutes, -s.bookings, s.skill.name))
    return ranked[:TOP_SKILLS]


def dashboard(session: Session, actor: Actor, months: int) -> Dashboard:
    council_id = require_council(actor, *DASHBOARD_ROLES)
    if not 1 <= months <= 36:
        raise InvalidInput("Choose between 1 and 36 months.", ["query", "months"])
    keys = values.last_months(clock.today(), months)
    first, last = values.month_span(keys[0], keys[-1])
    lent = list(values.completed_values(session, first, last, Scope(lending_council_id=council_id)))
    borrowed = list(
        values.completed_values(session, first, last, Scope(booking_council_id=council_id))
    )
    skills = primary_skills(session, {b.officer_id for b in lent + borrowed})
    book = RateBook.load(session)
    by_month = {key: MonthFigures(key) for key in keys}
    partners: dict[uuid.UUID, PartnerFigures] = {}
    skill_lent: dict[str, SkillFigures] = {}
    skill_borrowed: dict[str, SkillFigures] = {}
    for side, rows, tally in (("lent", lent, skill_lent), ("borrowed", borrowed, skill_borrowed)):
        for b in rows:
            m = by_month[b.month]
            skill = skills.get(b.officer_id)
            saved = book.savings_pence(skill, b.minutes, b.pence)
            partner_id = b.booking_council_id if side == "lent" else b.lending_council_id
            p = partners.setdefault(partner_id, PartnerFigures(partner_id))
            if side == "lent":
                m.lent_bookings += 1
                m.lent_minutes += b.minutes
                m.lent_pence += b.pence
                m.lent_savings_pence += saved or 0
                p.lent_minutes += b.minutes
                p.lent_pence += b.pence
            else:
                m.borrowed_bookings += 1
                m.borrowed_minutes += b.minutes
                m.borrowed_pence += b.pence
                m.borrowed_savings_pence += saved or 0
                m.minutes_with_market_rate += b.minutes if saved is not None else 0
                p.borrowed_minutes += b.minutes
                p.borrowed_pence += b.pence
            if skill is not None:
                s = tally.setdefault(skill.slug, SkillFigures(skill))
                s.bookings += 1
                s.minutes += b.minutes
    for partner_id, amount in values.outstanding_by_partner(session, council_id).items():
        partners.setdefault(partner_id, PartnerFigures(partner_id)).outstanding_pence = amount
    ranked = sorted(
        partners.values(),
        key=lambda p: (
            -(p.lent_pence + p.borrowed_pence),
            -abs(p.outstanding_pence),
            str(p.council_id),
        ),
    )
    return Dashboard(
        council_id=council_id,
        months=[by_month[key] for key in keys],
        skills_lent=_top(skill_lent),
        skills_borrowed=_top(skill_borrowed),
        partners=ranked,
        sources=book.sources(),
    )
