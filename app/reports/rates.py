"""Market rates and the estimated savings they give.

A booking's skill is its officer's *primary skill*: the first of their skills by name. Its
market figure is that skill's own row when one has a figure, else its family's row. Savings
on a completed booking = the market cost of the hours worked (day rate x minutes ÷ the row's
minutes in a day, 7.4 hours unless it says otherwise, rounded half-up once) minus the recharge.
A row without a sourced figure gives no estimate: never an invented one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.core import clock, money
from app.core.actor import Actor
from app.core.errors import Forbidden, InvalidInput, NotFound
from app.officers.models import Skill, officer_skills
from app.reports.models import DEFAULT_DAY_MINUTES, MarketRate, MarketRateChange

ESTIMATE_LABEL = (
    "Estimated savings: the market cost of the same hours at a published day rate, minus the "
    "recharge. An estimate, not an amount anyone paid."
)


@dataclass(frozen=True)
class PrimarySkill:
    slug: str
    name: str
    family: str


@dataclass(frozen=True)
class MarketFigure:
    skill_family: str
    skill_slug: str
    day_rate_pence: int
    day_minutes: int
    source: str
    as_of: date

    def cost_pence(self, minutes: int) -> int:
        return money.div_half_up(minutes * self.day_rate_pence, self.day_minutes)


def list_rates(session: Session) -> list[MarketRate]:
    stmt = select(MarketRate).order_by(MarketRate.skill_family, MarketRate.skill_slug)
    return list(session.scalars(stmt))


def history(session: Session, rate_id: uuid.UUID) -> list[MarketRateChange]:
    if session.get(MarketRate, rate_id) is None:
        raise NotFound("No such market rate.")
    stmt = (
        select(MarketRateChange)
        .where(MarketRateChange.market_rate_id == rate_id)
        .order_by(MarketRateChange.changed_at.desc(), MarketRateChange.id)
    )
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class RateEdit:
    skill_family: str
    skill_slug: str
    day_rate_pence: int | None
    day_minutes: int
    source: str
    as_of: date | None


def _check_edit(session: Session, edit: RateEdit) -> None:
    families = set(session.scalars(select(Skill.family).distinct()))
    if edit.skill_family not in families:
        raise NotFound("No such skill family.")
    if edit.skill_slug:
        family = session.scalar(select(Skill.family).where(Skill.slug == edit.skill_slug))
        if family != edit.skill_family:
            raise InvalidInput("That skill is not in this family.", ["query", "skill"])
    if edit.day_rate_pence is not None and edit.as_of is None:
        raise InvalidInput("A figure needs the date it was published.", ["body", "as_of"])
    if edit.as_of is not None and edit.as_of > clock.today():
        raise InvalidInput("The date cannot be in the future.", ["body", "as_of"])


def set_rate(session: Session, actor: Actor, edit: RateEdit) -> MarketRate:
    """Platform admins set (or clear) a family's or a skill's figure; every edit is kept."""
    if not actor.is_platform_admin:
        raise Forbidden("Only platform admins edit market rates.")
    _check_edit(session, edit)
    row = session.scalar(
        select(MarketRate).where(
            MarketRate.skill_family == edit.skill_family, MarketRate.skill_slug == edit.skill_slug
        )
    )
    if row is None:
        row = MarketRate(skill_family=edit.skill_family, skill_slug=edit.skill_slug)
        session.add(row)
    row.day_rate_pence = edit.day_rate_pence
    row.day_minutes = edit.day_minutes
    row.source = edit.source
    row.as_of = edit.as_of
    row.updated_at = clock.now()
    row.updated_by_id = actor.user_id
    session.flush()
    session.add(
        MarketRateChange(
            market_rate_id=row.id,
            day_rate_pence=edit.day_rate_pence,
            day_minutes=edit.day_minutes,
            source=edit.source,
            as_of=edit.as_of,
            changed_at=clock.now(),
            changed_by_id=actor.user_id,
            changed_by_name=actor.name[:120],
        )
    )
    figure = (
        "no figure"
        if edit.day_rate_pence is None
        else f"{money.format_pounds(edit.day_rate_pence, symbol=True)} a day"
    )
    audit.record(
        session,
        actor,
        "market_rate.set",
        "market_rate",
        row.id,
        None,
        f"Market rate for {edit.skill_family}{' / ' + edit.skill_slug if edit.skill_slug else ''}"
        f": {figure} ({edit.source[:200]})",
    )
    return row


class RateBook:
    """Every sourced figure, loaded once, to price many bookings."""

    def __init__(self, rows: Iterable[MarketRate]) -> None:
        self._figures: dict[tuple[str, str], MarketFigure] = {}
        for row in rows:
            if row.day_rate_pence is None or row.as_of is None:
                continue
            self._figures[(row.skill_family, row.skill_slug)] = MarketFigure(
                row.skill_family,
                row.skill_slug,
                row.day_rate_pence,
                row.day_minutes or DEFAULT_DAY_MINUTES,
                row.source,
                row.as_of,
            )

    @classmethod
    def load(cls, session: Session) -> RateBook:
        return cls(list_rates(session))

    def figure(self, skill: PrimarySkill | None) -> MarketFigure | None:
        if skill is None:
            return None
        return self._figures.get((skill.family, skill.slug)) or self._figures.get(
            (skill.family, "")
        )

    def savings_pence(
        self, skill: PrimarySkill | None, minutes: int, recharge_pence: int
    ) -> int | None:
        figure = self.figure(skill)
        return None if figure is None else figure.cost_pence(minutes) - recharge_pence

    def sources(self) -> list[MarketFigure]:
        return sorted(self._figures.values(), key=lambda f: (f.skill_family, f.skill_slug))


def primary_skills(
    session: Session, officer_ids: Select[tuple[uuid.UUID]] | Iterable[uuid.UUID]
) -> dict[uuid.UUID, PrimarySkill]:
    """Each officer's first skill by name (a subquery or a list of officer ids)."""
    ids = officer_ids if isinstance(officer_ids, Select) else list(officer_ids)
    stmt = (
        select(officer_skills.c.officer_id, Skill.slug, Skill.name, Skill.family)
        .join(Skill, Skill.id == officer_skills.c.skill_id)
        .where(officer_skills.c.officer_id.in_(ids))
        .order_by(officer_skills.c.officer_id, Skill.name)
    )
    found: dict[uuid.UUID, PrimarySkill] = {}
    for officer_id, slug, name, family in session.execute(stmt):
        found.setdefault(officer_id, PrimarySkill(slug, name, family))
    return found


@dataclass(frozen=True)
class BookingSavings:
    booking_id: uuid.UUID
    skill: PrimarySkill | None
    recharge_pence: int
    market_cost_pence: int | None
    savings_pence: int | None
    figure: MarketFigure | None


def booking_savings(
    session: Session, booking_id: uuid.UUID, officer_id: uuid.UUID, minutes: int, recharge: int
) -> BookingSavings:
    """The estimate for one completed booking (the caller has checked the actor may see it)."""
    skill = primary_skills(session, [officer_id]).get(officer_id)
    figure = RateBook.load(session).figure(skill)
    cost = figure.cost_pence(minutes) if figure else None
    return BookingSavings(
        booking_id, skill, recharge, cost, None if cost is None else cost - recharge, figure
    )
