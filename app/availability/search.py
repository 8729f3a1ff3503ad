"""Talent search: officers of other councils with approved, unbooked hours.

One SQL statement per page, answered from indexes on both engines: the week (or week range)
drives through `ix_availability_week_status`, a skill filter through `officer_skills`' skill
index and the (officer, week) unique key, free text through `officer_search_terms`' primary key
(query words match as prefixes: `term >= 'plan' AND term < 'plao'`). `bench/search.py` prints
the plans. Results are ordered by best match (how many of the wanted skills the officer has),
then most hours, then officer and week, and paged by a keyset cursor on those four.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NoReturn, TypeAlias, TypeVarTuple

from sqlalchemy import (
    BindParameter,
    Boolean,
    ColumnElement,
    Integer,
    Result,
    Select,
    and_,
    bindparam,
    case,
    false,
    func,
    literal_column,
    or_,
    select,
    true,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql.visitors import InternalTraversal

from app.auth.models import User
from app.availability import summary
from app.availability.models import Availability, AvailabilityStatus, OfficerFreeMinutes
from app.availability.summary import DEFAULT_WEEKS_AHEAD
from app.core import clock
from app.core.actor import Actor
from app.core.errors import Forbidden, InvalidInput
from app.core.isoweek import Week
from app.core.pagination import PageParams, decode_cursor, encode_cursor
from app.councils.models import Council, CouncilSettings
from app.councils.service import (
    current_consent_versions,
    has_accepted_agreement,
    in_pool_council_ids,
    is_in_pool,
)
from app.db import planned_for_their_values
from app.officers.models import Officer, OfficerSearchTerm, Skill, officer_skills
from app.officers.service import search_terms

ORDERED_INDEX = "ix_availability_available"
# Search's cursor: (matched skills, available minutes, officer id, week).
CURSOR_SCOPE = "search.officers"
# (availability id, officer id, week, available, rate, single booking, matched skills)
_Ts = TypeVarTuple("_Ts")
SearchSelect: TypeAlias = "Select[uuid.UUID, uuid.UUID, str, int, int, bool, int]"
# The same with each row's officer card (`_CARD_COLUMNS`) after them.
PageSelect: TypeAlias = "Select[*tuple[Any, ...]]"

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
class CouncilCard:
    id: uuid.UUID
    name: str
    code: str
    nation: str
    region: str
    gss_code: str | None


@dataclass(frozen=True)
class SkillCard:
    slug: str
    name: str
    family: str


@dataclass(frozen=True)
class OfficerCard:
    """What a search result shows of an officer (the fields of officers' `OfficerOut`), read
    as plain columns (`_CARD_COLUMNS`): loading ORM officers with their councils, settings and
    skills cost more than the search itself."""

    id: uuid.UUID
    council: CouncilCard
    display_name: str
    job_title: str
    summary: str
    skills: list[SkillCard]
    visible: bool
    rate_pence_per_hour: int  # the effective rate: the officer's own, or the council's default
    user_id: None = None  # as in `OfficerOut`: shown only in one's own council's list


@dataclass(frozen=True)
class SearchHit:
    officer: OfficerCard
    availability_id: uuid.UUID
    week: str
    available_minutes: int
    rate_pence_per_hour: int
    single_booking: bool
    matched_skills: int


class InComputedOnce(ColumnElement[bool]):
    """`column IN (subquery)` where the subquery's rows are worked out once, before the rest.

    SQLite does that with `IN (subquery)` itself. PostgreSQL turns `IN (subquery)` into a
    semi-join it may reorder: for a skill it hashes the whole `officers` table against the
    skill's officers (a Seq Scan on officers). `column = ANY(ARRAY(subquery))` is computed
    once (an InitPlan) and becomes an index condition on `column` instead.
    """

    __visit_name__ = "in_computed_once"
    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a predicate: no `= 1` after it on SQLite
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("subquery", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: QueryableAttribute[Any], subquery: Select[Any]) -> None:
        self.column = column.expression
        self.subquery = subquery.scalar_subquery()


@compiles(InComputedOnce)
def _in_subquery(element: InComputedOnce, compiler: Any, **kw: Any) -> str:
    return f"{compiler.process(element.column, **kw)} IN {compiler.process(element.subquery, **kw)}"


@compiles(InComputedOnce, "postgresql")
def _any_array(element: InComputedOnce, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    return f"{column} = ANY(ARRAY{compiler.process(element.subquery, **kw)})"


class Unindexed(ColumnElement[Any]):
    """A column SQLite must not look up through an index (`+column`); the column itself on
    other engines. Counting the officers a word or a skill names, SQLite otherwise walks every
    listed officer in the order index and asks each whether they are named (13 ms for one
    skill at 20,000 officers) instead of looking up the named ones (4 ms)."""

    __visit_name__ = "unindexed"
    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: QueryableAttribute[Any]) -> None:
        self.column = column.expression
        self.type = self.column.type


@compiles(Unindexed)
def _column(element: Unindexed, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.column, **kw))


@compiles(Unindexed, "sqlite")
def _unary_plus(element: Unindexed, compiler: Any, **kw: Any) -> str:
    return f"+{compiler.process(element.column, **kw)}"


def _next_prefix(word: str) -> str:
    """The smallest string above every string starting with `word` (words are [a-z0-9])."""
    return word[:-1] + chr(ord(word[-1]) + 1)


# Statements run on every search, built once (their values are bound when they run).
_SKILL_IDS = select(Skill.slug, Skill.id).where(Skill.slug.in_(bindparam("slugs", expanding=True)))


def _must_be_in_pool(session: Session, council_id: uuid.UUID) -> None:
    if not has_accepted_agreement(session, council_id):
        _outside_the_pool()


def _outside_the_pool() -> NoReturn:
    raise Forbidden(
        "Your council has not accepted the pool's section 113 agreement, so it cannot search "
        "other councils' officers yet. A council admin can accept it under Your council."
    )


def skill_ids_for(session: Session, slugs: Sequence[str]) -> list[int]:
    """The ids of the wanted skills; an unknown slug is a 422 pointing at the query."""
    found = dict(session.execute(_SKILL_IDS, {"slugs": list(slugs)}).all())
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        raise InvalidInput(f"Unknown skills: {', '.join(unknown)}.", ["query", "skill"])
    return [found[slug] for slug in slugs]


def _rows(session: Session, stmt: Select[*_Ts], values: Mapping[str, Any]) -> Result[*_Ts]:
    """Rows of columns, never ORM objects: run on the Session's connection, which skips the
    ORM's compile and loading steps (a tenth of a light search's Python, for the same SQL),
    each statement planned for its values (its filters decide the best plan)."""
    with planned_for_their_values(session.connection()) as connection:
        return connection.execute(stmt, values)


def available_minutes() -> ColumnElement[int]:
    """What a row still offers; ORDERED_INDEX starts with this very expression."""
    return Availability.approved_minutes - Availability.booked_minutes


def _matched(
    skills: int,
    officer_id: ColumnElement[uuid.UUID] | QueryableAttribute[uuid.UUID] | None = None,
) -> ColumnElement[int]:
    """How many of the wanted skills (`skills` distinct ones, bound as `skill_ids`) the officer
    has. With at most one distinct skill wanted it is the same for every result (0, or 1: the
    skill filter keeps only officers who have it), so it is a constant and the ordering can
    come straight from an index."""
    if skills <= 1:
        return literal_column(str(skills), Integer)
    return (
        select(func.count())
        .select_from(officer_skills)
        .where(
            officer_skills.c.officer_id
            == (Availability.officer_id if officer_id is None else officer_id),
            officer_skills.c.skill_id.in_(bindparam("skill_ids", expanding=True)),
        )
        .scalar_subquery()
    )


@dataclass(frozen=True)
class _Shape:
    """What decides the SQL of a search; every value goes in as a bound parameter. One
    statement per shape is built once and reused: building it (some 40 clauses) cost the API
    more than the database took to run it."""

    own_council: bool
    single_week: bool
    skills: int  # distinct skills wanted
    nation: bool
    region: bool
    max_rate: bool
    words: int


def _shape(
    actor: Actor, filters: SearchFilters, skill_ids: Sequence[int], today: date
) -> tuple[_Shape, dict[str, Any]]:
    """The shape of this search and the values of its bound parameters."""
    words = search_terms(filters.q or "")[:MAX_QUERY_WORDS]
    single_week = filters.week is not None and filters.to_week is None
    values: dict[str, Any] = {
        "today": today,
        "min_minutes": max(filters.min_minutes, 15),
        "own_council": actor.council_id,
        "skill_ids": sorted(set(skill_ids)),
        "nation": filters.nation,
        "region": filters.region,
        "max_rate": filters.max_rate_pence,
    }
    if single_week:
        values["week"] = str(filters.week)
    else:
        first = filters.week.monday if filters.week else today
        last = (
            filters.to_week.monday
            if filters.to_week
            else Week.of(today).plus(DEFAULT_WEEKS_AHEAD).monday
        )
        values.update(
            first=first, last=last, first_week=str(Week.of(first)), last_week=str(Week.of(last))
        )
    for n, word in enumerate(words):
        values[f"word_{n}"] = word
        values[f"after_word_{n}"] = _next_prefix(word)
    shape = _Shape(
        own_council=actor.council_id is not None,
        single_week=single_week,
        skills=len(values["skill_ids"]),
        nation=bool(filters.nation),
        region=bool(filters.region),
        max_rate=filters.max_rate_pence is not None,
        words=len(words),
    )
    return shape, values


def _week_conditions(shape: _Shape) -> list[ColumnElement[bool]]:
    """What an officer-week must be to match, on `availability` alone (and `council_id IN`,
    `officer_id IN` lists computed once): free hours, status, weeks, councils, skills, words."""
    a = Availability
    return [
        *_the_week_conditions(shape),
        a.council_id.in_(in_pool_council_ids()),
        *_officer_conditions(shape, a.council_id, a.officer_id),
    ]


def _the_week_conditions(shape: _Shape) -> list[ColumnElement[bool]]:
    """What the week itself must be (whoever's it is): free hours, status, the weeks."""
    a = Availability
    conditions: list[ColumnElement[bool]] = [
        a.status.in_((AvailabilityStatus.approved, AvailabilityStatus.pending)),
        available_minutes() >= bindparam("min_minutes"),
        or_(a.single_booking.is_(False), a.booked_minutes == 0),
        a.week_start > bindparam("today"),
    ]
    if shape.single_week:
        conditions.append(a.week == bindparam("week"))
    else:
        # The same range on `week` too ('YYYY-Www' sorts like the Mondays): it lets an
        # officer's (officer_id, week) key answer "which of these weeks" without the others.
        conditions += [
            a.week_start >= bindparam("first"),
            a.week_start <= bindparam("last"),
            a.week >= bindparam("first_week"),
            a.week <= bindparam("last_week"),
        ]
    return conditions


def _officer_conditions(
    shape: _Shape,
    council_id: QueryableAttribute[uuid.UUID],
    officer_id: QueryableAttribute[uuid.UUID],
) -> list[ColumnElement[bool]]:
    """What the officer must be to match (not their own council's, skills, nation, region,
    words), said of the given council and officer columns."""
    conditions: list[ColumnElement[bool]] = []
    if shape.own_council:
        conditions.append(council_id != bindparam("own_council"))
    if shape.skills:
        wanted = officer_skills.c.skill_id.in_(bindparam("skill_ids", expanding=True))
        conditions.append(
            InComputedOnce(officer_id, select(officer_skills.c.officer_id).where(wanted))
        )
    if shape.nation or shape.region:
        councils = select(Council.id)
        if shape.nation:
            councils = councils.where(Council.nation == bindparam("nation"))
        if shape.region:
            councils = councils.where(Council.region == bindparam("region"))
        conditions.append(council_id.in_(councils))
    for n in range(shape.words):
        term = OfficerSearchTerm.term
        conditions.append(
            officer_id.in_(
                select(OfficerSearchTerm.officer_id).where(
                    term >= bindparam(f"word_{n}"), term < bindparam(f"after_word_{n}")
                )
            )
        )
    return conditions


def _listed() -> list[ColumnElement[bool]]:
    """The officer is listed (what `officers.listed` asks: chose to be, consented to the
    current text, council in the pool) and their account active, said of a statement whose
    week conditions say "council in the pool" of the week's council, which is the officer's
    (every week is made so; search says not their own council, nation, region and the rate's
    default of the week's council too). The current consent versions are worked out once,
    before the rest. PostgreSQL weighed both semi-joins of `officers.listed` in every join
    order it planned: a light search at 20,000 officers planned for 7-42 ms and ran in 5-15 ms;
    it plans in 2-10 ms without them and runs as fast."""
    return [
        Officer.visible.is_(True),
        InComputedOnce(Officer.consent_version, current_consent_versions()),
        User.active.is_(True),
    ]


def _rate() -> Any:
    return func.coalesce(
        Officer.rate_pence_per_hour, CouncilSettings.default_rate_pence_per_hour
    ).label("rate")


def build_query(
    actor: Actor, filters: SearchFilters, skill_ids: Sequence[int], today: date
) -> SearchSelect:
    """The search statement (without ordering and paging), shared by the API, saved searches
    and the benchmark, with this search's values bound.

    Conditions on councils (agreement in force, nation, region) are `council_id IN (…)` lists
    computed once, not per row; free-text words and skills are `officer_id IN (…)` lists.
    """
    shape, values = _shape(actor, filters, skill_ids, today)
    return _query(shape).params(values)


@functools.lru_cache(maxsize=512)
def _query(shape: _Shape) -> SearchSelect:
    a = Availability
    rate = _rate()
    stmt = (
        select(
            a.id,
            a.officer_id,
            a.week,
            available_minutes().label("available"),
            rate,
            a.single_booking,
            _matched(shape.skills).label("matched"),
        )
        .join(Officer, Officer.id == a.officer_id)
        .join(User, User.id == Officer.user_id)
        .join(CouncilSettings, CouncilSettings.council_id == a.council_id)
        .where(*_week_conditions(shape), *_listed())
    )
    if shape.max_rate:
        stmt = stmt.where(rate <= bindparam("max_rate"))
    return stmt


def page_query(
    actor: Actor,
    filters: SearchFilters,
    skill_ids: Sequence[int],
    today: date,
    params: PageParams,
) -> PageSelect:
    """`build_query` ordered best match first, from the cursor on, one row more than a page,
    each row with its officer card, with this search's values bound (what `search` runs)."""
    stmt, values = _page(actor, filters, skill_ids, today, params)
    return stmt.params(values)


def _page(
    actor: Actor,
    filters: SearchFilters,
    skill_ids: Sequence[int],
    today: date,
    params: PageParams,
) -> tuple[PageSelect, dict[str, Any]]:
    """The page statement of this search's shape (built once) and the values to run it with."""
    shape, values = _shape(actor, filters, skill_ids, today)
    values["searcher_council"] = actor.council_id
    cursor = "none"
    if params.cursor:
        score, minutes, officer_id, week = decode_cursor(
            CURSOR_SCOPE, params.cursor, [int, int, uuid.UUID, str]
        )
        values.update(
            cursor_score=score, cursor_minutes=minutes, cursor_officer=officer_id, cursor_week=week
        )
        if shape.skills > 1:
            cursor = "ranked"
        elif shape.skills == score:
            cursor = "after"
        elif shape.skills > score:
            cursor = "past the end"  # every row's score is above the cursor's: all were shown
        # else every row's score is below the cursor's: all come after it, as without one
    return _page_statement(shape, cursor, params.limit), values


@functools.lru_cache(maxsize=512)
def _page_statement(shape: _Shape, cursor: str, limit: int) -> PageSelect:
    """A page of `_page_rows` with each row's officer card (`_CARD_COLUMNS`) joined: the page
    and what it shows in one statement (it was two, the cards a second round trip). Only for a
    searcher whose council is in the pool: a condition of no row, which both engines check once
    before the rest (it was a statement of its own before every search)."""
    page = _page_rows(shape, cursor, limit).subquery("page")
    order = [page.c.available.desc(), page.c.officer_id, page.c.week]
    if shape.skills > 1:
        order.insert(0, page.c.matched.desc())
    searcher = bindparam("searcher_council", type_=Council.id.type)
    return (
        select(page, *_CARD_COLUMNS)
        .join(Officer, Officer.id == page.c.officer_id)
        .join(Council, Council.id == Officer.council_id)
        .where(is_in_pool(searcher))
        .order_by(*order)
    )


@functools.lru_cache(maxsize=512)
def _page_rows(shape: _Shape, cursor: str, limit: int) -> SearchSelect:
    """The order is (matched desc, available desc, officer, week). When `matched` is a constant
    (at most one skill wanted) it is left out of ORDER BY and of the cursor condition, which
    changes no result but lets both engines walk `ix_availability_available` in order and stop
    after a page instead of sorting every candidate row."""
    stmt = _query(shape)
    matched = stmt.selected_columns.matched
    a = Availability
    available = available_minutes()
    minutes = bindparam("cursor_minutes", type_=Integer)
    officer_id: BindParameter[uuid.UUID] = bindparam("cursor_officer")
    after = and_(
        available <= minutes,  # redundant, but lets the index seek to the cursor
        or_(
            available < minutes,
            or_(
                a.officer_id > officer_id,
                and_(a.officer_id == officer_id, a.week > bindparam("cursor_week")),
            ),
        ),
    )
    if cursor == "ranked":
        score = bindparam("cursor_score", type_=Integer)
        stmt = stmt.where(or_(matched < score, and_(matched == score, after)))
    elif cursor == "after":
        stmt = stmt.where(after)
    elif cursor == "past the end":
        stmt = stmt.where(false())
    order = [available.desc(), a.officer_id, a.week]
    if shape.skills <= 1:
        # SQLite's planner prefers a week or officer index and a sort of every candidate row
        # (100,000 of them for a search without filters); the ordered walk stops after a page.
        # PostgreSQL weighs the LIMIT itself and needs no hint.
        stmt = stmt.with_hint(a, f"INDEXED BY {ORDERED_INDEX}", "sqlite")
    else:
        order.insert(0, matched.desc())
    return stmt.order_by(*order).limit(limit + 1)


def search(
    session: Session, actor: Actor, filters: SearchFilters, params: PageParams
) -> tuple[list[SearchHit], str | None]:
    """Only members of councils in the pool (that have accepted the agreement) may search.

    The page statement says so itself (no rows for a searcher outside the pool), so a search
    that finds something is one statement; only an empty page, or a wrong skill, asks why."""
    if actor.council_id is None:
        _outside_the_pool()
    try:
        skill_ids = skill_ids_for(session, filters.skills) if filters.skills else []
    except InvalidInput:
        _must_be_in_pool(session, actor.council_id)  # outside the pool is the first answer
        raise
    stmt, values = _page(actor, filters, skill_ids, clock.today(), params)
    rows = _rows(session, stmt, values).all()
    if not rows:
        _must_be_in_pool(session, actor.council_id)
    next_cursor = None
    if len(rows) > params.limit:
        rows = rows[: params.limit]
        last = rows[-1]
        next_cursor = encode_cursor(
            CURSOR_SCOPE, [last.matched, last.available, last.officer_id, last.week]
        )
    cards: dict[uuid.UUID, OfficerCard] = {}
    hits = []
    for availability_id, officer_id, week, available, rate, single_booking, matched, *card in rows:
        officer = cards.get(officer_id)
        if officer is None:
            officer = cards[officer_id] = _card(officer_id, card, rate)
        hits.append(
            SearchHit(officer, availability_id, week, available, rate, single_booking, matched)
        )
    return hits, next_cursor


# A card's skills come as one text per officer: each skill's slug, name and family joined by
# the unit separator, the skills by the record separator (the skills are the platform's own
# taxonomy, which has neither). One row per officer, not one per officer and skill: the rows,
# not the SQL, were most of what a page of cards cost (UUIDs parsed, columns looked up).
_UNIT, _RECORD = "\x1f", "\x1e"
# What a card shows of an officer, their council and their skills, from a statement that has
# `officers` and `councils` joined (the skills' subquery is correlated on `officers.id`).
_CARD_COLUMNS = (
    Officer.display_name,
    Officer.job_title,
    Officer.summary,
    Officer.visible,
    Council.id,
    Council.name,
    Council.code,
    Council.nation,
    Council.region,
    Council.gss_code,
    select(
        func.aggregate_strings(Skill.slug + _UNIT + Skill.name + _UNIT + Skill.family, _RECORD)
    )
    .join_from(officer_skills, Skill, Skill.id == officer_skills.c.skill_id)
    .where(officer_skills.c.officer_id == Officer.id)
    .scalar_subquery(),
)
_CARDS = (
    select(Officer.id, *_CARD_COLUMNS)
    .join(Council, Council.id == Officer.council_id)
    .where(Officer.id.in_(bindparam("officer_ids", expanding=True)))
)


def _card(officer_id: uuid.UUID, columns: Sequence[Any], rate: int) -> OfficerCard:
    """An officer's card from the values of `_CARD_COLUMNS`, at the rate the search worked
    out."""
    display_name, job_title, summary_text, visible, *council, skills = columns
    return OfficerCard(
        id=officer_id,
        council=CouncilCard(*council),
        display_name=display_name,
        job_title=job_title,
        summary=summary_text,
        skills=_skill_cards(skills),
        visible=visible,
        rate_pence_per_hour=rate,
    )


def _officer_cards(session: Session, rates: dict[uuid.UUID, int]) -> dict[uuid.UUID, OfficerCard]:
    """The cards of some officers (people search's page), in one statement of one row per
    officer, at the rates their search worked out. Unlike the search, a prepared statement
    (`_padded`)."""
    if not rates:
        return {}
    rows = session.connection().execute(_CARDS, {"officer_ids": _padded(list(rates))})
    return {
        officer_id: _card(officer_id, columns, rates[officer_id]) for officer_id, *columns in rows
    }


def _padded(ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """`ids` with the last repeated up to a power of two: a page's cards are then one of a few
    statement texts, not one per number of officers, so PostgreSQL prepares each and plans it
    once (a lookup by primary key has one good plan; planning it every time cost a third of
    it). The repeats change nothing: it is an IN list."""
    size = 1 << (len(ids) - 1).bit_length()
    return ids + ids[-1:] * (size - len(ids))


def _skill_cards(joined: str | None) -> list[SkillCard]:
    if not joined:
        return []
    cards = [SkillCard(*skill.split(_UNIT)) for skill in joined.split(_RECORD)]
    cards.sort(key=lambda card: (card.name, card.slug))
    return cards


# --- search that shows people: one result per officer -------------------------------------

# People search's cursor: (matched skills, free minutes in the range, officer id).
PEOPLE_CURSOR_SCOPE = "search.people"


@dataclass(frozen=True)
class WeekFree:
    availability_id: uuid.UUID
    week: str
    available_minutes: int
    single_booking: bool


@dataclass(frozen=True)
class PersonHit:
    officer: OfficerCard
    matched_skills: int
    free_minutes: int
    weeks: list[WeekFree]  # in date order


@functools.lru_cache(maxsize=512)
def _people_query(shape: _Shape) -> Select[Any]:
    """One row per matching officer: how well they match, their free minutes in the range and
    their rate. The officer-weeks are grouped on `availability` alone first; officers, users
    and rates are joined to the grouped rows (one per officer), not to every week."""
    a = Availability
    weeks = (
        select(a.officer_id, func.sum(available_minutes()).label("free"))
        .where(*_week_conditions(shape))
        .group_by(a.officer_id)
        .subquery("weeks")
    )
    rate = _rate()
    stmt = (
        select(
            weeks.c.officer_id,
            _matched(shape.skills, weeks.c.officer_id).label("matched"),
            weeks.c.free,
            rate,
        )
        .join(Officer, Officer.id == weeks.c.officer_id)
        .join(User, User.id == Officer.user_id)
        .join(CouncilSettings, CouncilSettings.council_id == Officer.council_id)
        .where(*_listed())
    )
    if shape.max_rate:
        stmt = stmt.where(rate <= bindparam("max_rate"))
    return stmt


def _kept_free(floor_only: bool) -> ColumnElement[int]:
    """An officer's free minutes in the default range from their kept row: the kept total when
    the least a week must have is search's floor (15 minutes), else the kept weeks that have
    at least `min_minutes` added up."""
    kept = OfficerFreeMinutes
    if floor_only:
        return kept.free_minutes.expression
    min_minutes = bindparam("min_minutes", type_=Integer)
    return sum(
        (case((week >= min_minutes, week), else_=0) for week in kept.weeks()),
        start=literal_column("0", Integer),
    )


def _kept_conditions(
    shape: _Shape, floor_only: bool, counting: bool = False
) -> list[ColumnElement[bool]]:
    """`_week_conditions` and `_listed` asked of an officer's kept row. `counting` them all
    when words or skills name the officers, SQLite looks the named ones up (`Unindexed`)."""
    kept = OfficerFreeMinutes
    by_name = counting and bool(shape.words or shape.skills)
    listed = Unindexed(kept.listed) if by_name else kept.listed
    free = Unindexed(kept.free_minutes) if by_name and floor_only else _kept_free(floor_only)
    conditions = [
        listed == true(),  # `= true`, not `IS 1`: the order index starts with it
        free > 0,
        *_officer_conditions(shape, kept.council_id, kept.officer_id),
    ]
    if shape.max_rate:
        conditions.append(_kept_rate() <= bindparam("max_rate"))
    return conditions


def _kept_rate() -> ColumnElement[int]:
    """The kept officer's rate (their own, else their council's default)."""
    return (
        select(_rate())
        .join(CouncilSettings, CouncilSettings.council_id == Officer.council_id)
        .where(Officer.id == OfficerFreeMinutes.officer_id)
        .scalar_subquery()
    )


@functools.lru_cache(maxsize=512)
def _people_kept_query(shape: _Shape, floor_only: bool) -> Select[uuid.UUID, int, int, int]:
    """`_people_query` for the default range, from the rows the database keeps (one per
    officer): no week is added up and nothing is joined, so with the floor's total both
    engines walk its index in order and stop after a page; the rate is read for the rows
    returned."""
    kept = OfficerFreeMinutes
    return select(
        kept.officer_id,
        _matched(shape.skills, kept.officer_id).label("matched"),
        _kept_free(floor_only).label("free"),
        _kept_rate().label("rate"),
    ).where(*_kept_conditions(shape, floor_only))


def _people_page(
    session: Session,
    shape: _Shape,
    values: dict[str, Any],
    params: PageParams,
    kept: bool | None,
) -> tuple[list[Any], int | None, str | None]:
    """A page of officers, best first, and how many officers match in all, in one statement.
    Adding the weeks up (`kept` None), the total is a window over the same aggregate
    (`count(*) OVER ()`), so the weeks are grouped once; from the kept rows (`kept`: whether
    the least a week must have is search's floor) it is a count beside the page. None when
    the page is empty (a cursor past the end): the caller counts then."""
    if params.cursor:
        score, free, officer_id = decode_cursor(
            PEOPLE_CURSOR_SCOPE, params.cursor, [int, int, uuid.UUID]
        )
        values = {
            **values,
            "cursor_score": score,
            "cursor_free": free,
            "cursor_officer": officer_id,
        }
    stmt = _people_page_statement(shape, bool(params.cursor), params.limit, kept)
    rows = list(_rows(session, stmt, values).all())
    total = int(rows[0].total) if rows else None
    if len(rows) <= params.limit:
        return rows, total, None
    rows = rows[: params.limit]
    last = rows[-1]
    cursor = [int(last.matched), int(last.free), last.officer_id]
    return rows, total, encode_cursor(PEOPLE_CURSOR_SCOPE, cursor)


@functools.lru_cache(maxsize=512)
def _people_page_statement(
    shape: _Shape, after_cursor: bool, limit: int, kept: bool | None
) -> Select[Any]:
    if kept is not None:
        # The total is a scalar subquery: worked out once, and the page still stops early.
        people = _people_kept_query(shape, kept).subquery("people")
        total = _people_count_statement(shape, kept).scalar_subquery()
        stmt = select(people, total.label("total"))
        found = people
    else:
        people = _people_query(shape).subquery("people")
        found = select(people, func.count().over().label("total")).subquery("counted")
        stmt = select(found)
    matched, free, officer = found.c.matched, found.c.free, found.c.officer_id
    if after_cursor:
        score = bindparam("cursor_score", type_=Integer)
        free_then = bindparam("cursor_free", type_=Integer)
        officer_then: BindParameter[uuid.UUID] = bindparam("cursor_officer")
        stmt = stmt.where(
            or_(
                matched < score,
                and_(matched == score, free < free_then),
                and_(matched == score, free == free_then, officer > officer_then),
            )
        )
    # With one skill or none, how well each officer matches is the same for all: ordering by
    # free minutes alone lets the kept figures' index give the order.
    order = (free.desc(), officer) if shape.skills <= 1 else (matched.desc(), free.desc(), officer)
    return stmt.order_by(*order).limit(limit + 1)


@functools.lru_cache(maxsize=512)
def _people_count_statement(shape: _Shape, kept: bool | None) -> Select[Any]:
    if kept is None:
        return select(func.count()).select_from(_people_query(shape).subquery())
    return select(func.count()).where(*_kept_conditions(shape, kept, counting=True))


@functools.lru_cache(maxsize=512)
def _weeks_statement(shape: _Shape) -> Select[uuid.UUID, uuid.UUID, str, int, bool]:
    """The matching weeks of some officers (bound as `officer_ids`, who match already), by
    officer and date."""
    a = Availability
    officers = a.officer_id.in_(bindparam("officer_ids", expanding=True))
    return (
        select(a.id, a.officer_id, a.week, available_minutes().label("available"), a.single_booking)
        .where(*_the_week_conditions(shape), officers)
        .order_by(a.officer_id, a.week)
    )


def _weeks_of(
    session: Session, shape: _Shape, values: dict[str, Any], officer_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[WeekFree]]:
    weeks: dict[uuid.UUID, list[WeekFree]] = {officer_id: [] for officer_id in officer_ids}
    if not officer_ids:
        return weeks
    stmt = _weeks_statement(shape)
    for row in _rows(session, stmt, {**values, "officer_ids": officer_ids}):
        weeks[row.officer_id].append(WeekFree(row.id, row.week, row.available, row.single_booking))
    return weeks


def search_people(
    session: Session, actor: Actor, filters: SearchFilters, params: PageParams
) -> tuple[list[PersonHit], int, str | None]:
    """One result per officer with their matching weeks in date order, best match first, then
    most free hours in the range; and how many officers match in all."""
    if actor.council_id is None:
        _outside_the_pool()
    _must_be_in_pool(session, actor.council_id)
    if filters.week and filters.to_week and filters.to_week < filters.week:
        raise InvalidInput("The last week must not be before the first.", ["query", "to"])
    skill_ids = skill_ids_for(session, filters.skills) if filters.skills else []
    today = clock.today()
    shape, values = _shape(actor, filters, skill_ids, today)
    # The default range reads the rows the database keeps (unless a new week has begun and
    # they are not moved on yet); a range of one's own adds the weeks up.
    kept: bool | None = None
    if filters.week is None and filters.to_week is None and summary.is_current(session, today):
        kept = values["min_minutes"] == summary.MIN_WEEK_MINUTES
    rows, total, next_cursor = _people_page(session, shape, values, params, kept)
    if total is None:
        total = int(_rows(session, _people_count_statement(shape, kept), values).scalar() or 0)
    ids = [row.officer_id for row in rows]
    cards = _officer_cards(session, {row.officer_id: int(row.rate) for row in rows})
    weeks = _weeks_of(session, shape, values, ids)
    hits = [
        PersonHit(cards[row.officer_id], int(row.matched), int(row.free), weeks[row.officer_id])
        for row in rows
    ]
    return hits, total, next_cursor
