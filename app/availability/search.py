"""Talent search: officers of other councils with approved, unbooked hours.

One SQL statement per page, answered from indexes on both engines: the week (or week range)
drives through `ix_availability_week_status`, a skill filter through `officer_skills`' skill
index and the (officer, week) unique key, free text through `officer_search_terms`' primary key
(query words match as prefixes: `term >= 'plan' AND term < 'plao'`). `bench/search.py` prints
the plans. Results are ordered by best match (how many of the wanted skills the officer has),
then most hours, then officer and week, and paged by a keyset cursor on those four.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, exists, func, literal, or_, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.auth.service import Actor
from app.availability.models import Availability
from app.core import clock
from app.core.errors import InvalidInput
from app.core.isoweek import Week
from app.core.pagination import PageParams, decode_cursor, encode_cursor
from app.councils.models import AgreementAcceptance, Council, CouncilSettings
from app.councils.service import CURRENT_AGREEMENT
from app.officers.models import Officer, OfficerSearchTerm, Skill, officer_skills
from app.officers.service import load_officers, search_terms

# Without a week, search looks this many weeks ahead from the first open week.
DEFAULT_WEEKS_AHEAD = 12
MAX_QUERY_WORDS = 6


@dataclass(frozen=True)
class SearchFilters:
    skills: Sequence[str] = ()
    week: Week | None = None
    to_week: Week | None = None
    min_minutes: int = 15
    nation: str | None = None
    region: str | None = None
    max_rate_pence: int | None = None
    q: str | None = None


@dataclass(frozen=True)
class SearchHit:
    officer: Officer
    availability_id: uuid.UUID
    week: str
    available_minutes: int
    rate_pence_per_hour: int
    single_booking: bool
    matched_skills: int


def _next_prefix(word: str) -> str:
    """The smallest string above every string starting with `word` (words are [a-z0-9])."""
    return word[:-1] + chr(ord(word[-1]) + 1)


def skill_ids_for(session: Session, slugs: Sequence[str]) -> list[int]:
    """The ids of the wanted skills; an unknown slug is a 422 pointing at the query."""
    found = dict(
        session.execute(select(Skill.slug, Skill.id).where(Skill.slug.in_(list(slugs)))).all()
    )
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        raise InvalidInput(f"Unknown skills: {', '.join(unknown)}.", ["query", "skill"])
    return [found[slug] for slug in slugs]


def build_query(
    actor: Actor, filters: SearchFilters, skill_ids: Sequence[int], today: date
) -> Select[tuple]:  # type: ignore[type-arg]
    """The search statement (without paging), shared by the API and the benchmark."""
    a = Availability
    available = (a.approved_minutes - a.booked_minutes).label("available")
    rate = func.coalesce(
        Officer.rate_pence_per_hour, CouncilSettings.default_rate_pence_per_hour
    ).label("rate")
    matched = (
        select(func.count())
        .select_from(officer_skills)
        .where(
            officer_skills.c.officer_id == a.officer_id, officer_skills.c.skill_id.in_(skill_ids)
        )
        .scalar_subquery()
        if skill_ids is not None
        else literal(0)
    ).label("matched")

    stmt = (
        select(a.id, a.officer_id, a.week, available, rate, a.single_booking, matched)
        .join(Officer, Officer.id == a.officer_id)
        .join(User, User.id == Officer.user_id)
        .join(Council, Council.id == a.council_id)
        .join(CouncilSettings, CouncilSettings.council_id == a.council_id)
        .where(
            a.status.in_(("approved", "pending")),
            a.approved_minutes - a.booked_minutes >= max(filters.min_minutes, 15),
            or_(a.single_booking.is_(False), a.booked_minutes == 0),
            a.week_start > today,
            Officer.visible.is_(True),
            User.active.is_(True),
            exists().where(
                AgreementAcceptance.council_id == a.council_id,
                AgreementAcceptance.version == CURRENT_AGREEMENT.version,
            ),
        )
    )
    if actor.council_id is not None:
        stmt = stmt.where(a.council_id != actor.council_id)
    if filters.week is not None and filters.to_week is None:
        stmt = stmt.where(a.week == str(filters.week))
    else:
        first = filters.week.monday if filters.week else today
        last = (
            filters.to_week.monday
            if filters.to_week
            else Week.of(today).plus(DEFAULT_WEEKS_AHEAD).monday
        )
        stmt = stmt.where(a.week_start >= first, a.week_start <= last)
    if skill_ids:
        stmt = stmt.where(
            a.officer_id.in_(
                select(officer_skills.c.officer_id).where(officer_skills.c.skill_id.in_(skill_ids))
            )
        )
    if filters.nation:
        stmt = stmt.where(Council.nation == filters.nation)
    if filters.region:
        stmt = stmt.where(Council.region == filters.region)
    if filters.max_rate_pence is not None:
        stmt = stmt.where(rate <= filters.max_rate_pence)
    for word in search_terms(filters.q or "")[:MAX_QUERY_WORDS]:
        stmt = stmt.where(
            exists().where(
                OfficerSearchTerm.officer_id == a.officer_id,
                OfficerSearchTerm.term >= word,
                OfficerSearchTerm.term < _next_prefix(word),
            )
        )
    return stmt


def search(
    session: Session, actor: Actor, filters: SearchFilters, params: PageParams
) -> tuple[list[SearchHit], str | None]:
    skill_ids = skill_ids_for(session, filters.skills) if filters.skills else []
    stmt = build_query(actor, filters, skill_ids, clock.today()).subquery()
    ordered = select(stmt)
    if params.cursor:
        score, minutes, officer_id, week = decode_cursor(params.cursor, [int, int, uuid.UUID, str])
        ordered = ordered.where(
            or_(
                stmt.c.matched < score,
                and_(stmt.c.matched == score, stmt.c.available < minutes),
                and_(
                    stmt.c.matched == score,
                    stmt.c.available == minutes,
                    or_(
                        stmt.c.officer_id > officer_id,
                        and_(stmt.c.officer_id == officer_id, stmt.c.week > week),
                    ),
                ),
            )
        )
    ordered = ordered.order_by(
        stmt.c.matched.desc(), stmt.c.available.desc(), stmt.c.officer_id, stmt.c.week
    ).limit(params.limit + 1)
    rows = session.execute(ordered).all()
    next_cursor = None
    if len(rows) > params.limit:
        rows = rows[: params.limit]
        last = rows[-1]
        next_cursor = encode_cursor([last.matched, last.available, last.officer_id, last.week])
    officers = {o.id: o for o in load_officers(session, {row.officer_id for row in rows})}
    hits = [
        SearchHit(
            officer=officers[row.officer_id],
            availability_id=row.id,
            week=row.week,
            available_minutes=row.available,
            rate_pence_per_hour=row.rate,
            single_booking=row.single_booking,
            matched_skills=row.matched,
        )
        for row in rows
    ]
    return hits, next_cursor
