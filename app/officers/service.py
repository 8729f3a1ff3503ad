"""Officer profiles, skills, consent and recharge rates."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Sequence
from functools import cache

from sqlalchemy import ColumnElement, Select, and_, bindparam, delete, insert, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.audit import service as audit
from app.auth.models import User
from app.core import clock
from app.core.actor import Actor, Role, authorize_council
from app.core.errors import Forbidden, InvalidInput, NotFound
from app.core.pagination import PageParams, keyset_page
from app.core.tokens import token_digest
from app.councils import service as councils
from app.councils.models import Council
from app.officers.models import Officer, OfficerSearchTerm, Skill


def effective_rate(officer: Officer) -> int:
    """The officer's own rate, or their council's default."""
    if officer.rate_pence_per_hour is not None:
        return officer.rate_pence_per_hour
    return officer.council.settings.default_rate_pence_per_hour


def ensure_officer(session: Session, user: User) -> Officer:
    """Every user with the officer role has a profile (created empty, hidden until they list)."""
    existing = session.scalar(select(Officer).where(Officer.user_id == user.id))
    if existing is not None:
        return existing
    if user.council_id is None:
        raise InvalidInput("An officer must belong to a council.", ["body", "council"])
    officer = Officer(user_id=user.id, council_id=user.council_id, display_name=user.name)
    session.add(officer)
    session.flush()
    return officer


def _with_profile(stmt: Select[Officer]) -> Select[Officer]:
    """Officers with their council (and its settings) and skills: what every page shows."""
    return stmt.options(
        joinedload(Officer.council).joinedload(Council.settings),
        selectinload(Officer.skills),
    )


def load_officer(session: Session, officer_id: uuid.UUID) -> Officer | None:
    return session.scalar(_with_profile(select(Officer).where(Officer.id == officer_id)))


def officer_to_book(session: Session, officer_id: uuid.UUID) -> tuple[Officer, User] | None:
    """The officer with their council (and its settings) and their account, in one statement:
    what a booking reads of them (the rate, the council, whom to tell; not the skills)."""
    row = session.execute(_officer_to_book(), {"officer_id": officer_id}).one_or_none()
    return None if row is None else (row[0], row[1])


@cache
def _officer_to_book() -> Select[Officer, User]:
    """Built once: every booking runs it."""
    return (
        select(Officer, User)
        .join(User, User.id == Officer.user_id)
        .where(Officer.id == bindparam("officer_id"))
        .options(joinedload(Officer.council).joinedload(Council.settings))
    )


@cache
def listed_officer() -> ColumnElement[bool]:
    """`listed()` for the officer bound as `listed_officer_id`, built once (for a statement
    that is built once too)."""
    return select(Officer.id).where(Officer.id == bindparam("listed_officer_id"), listed()).exists()


def listed() -> ColumnElement[bool]:
    """Officers other councils may see: they chose to be listed, consented to the current
    consent text, and their council is in the pool (the SQL twin of `is_listed`). Search says
    the same of an officer's weeks in its own way (`availability.search._listed`), held to it
    by tests/availability/test_search_listed.py."""
    return and_(
        Officer.visible.is_(True),
        Officer.consent_version.in_(councils.current_consent_versions()),
        Officer.council_id.in_(councils.in_pool_council_ids()),
    )


def readable_officers(actor: Actor) -> Select[Officer]:
    """The officers `actor` may see, as one statement used by every read: those of their own
    council always, others' only when listed; platform admins see every officer."""
    stmt = _with_profile(select(Officer))
    if actor.is_platform_admin:
        return stmt
    return stmt.where(or_(Officer.council_id == actor.council_id, listed()))


def get_my_officer(session: Session, actor: Actor) -> Officer:
    if not actor.has_any(Role.officer):
        raise Forbidden("Only officers have a profile.")
    stmt = (
        select(Officer)
        .where(Officer.user_id == actor.user_id)
        .options(
            joinedload(Officer.council).joinedload(Council.settings),
            selectinload(Officer.skills),
        )
    )
    officer = session.scalar(stmt)
    if officer is None:
        raise NotFound("You have no officer profile yet.")
    return officer


def list_skills(session: Session) -> list[Skill]:
    return list(session.scalars(select(Skill).order_by(Skill.family, Skill.name)))


def skills_by_slug(session: Session, slugs: Sequence[str]) -> list[Skill]:
    wanted = list(dict.fromkeys(slugs))
    found = {s.slug: s for s in session.scalars(select(Skill).where(Skill.slug.in_(wanted)))}
    unknown = [slug for slug in wanted if slug not in found]
    if unknown:
        raise InvalidInput(f"Unknown skills: {', '.join(unknown)}.", ["body", "skills"])
    return [found[slug] for slug in wanted]


def update_my_profile(
    session: Session,
    actor: Actor,
    display_name: str,
    job_title: str,
    summary: str,
    skills: Sequence[str],
    visible: bool,
) -> Officer:
    officer = get_my_officer(session, actor)
    officer.display_name = display_name
    officer.job_title = job_title
    officer.summary = summary
    officer.visible = visible
    officer.skills = skills_by_slug(session, skills)
    officer.updated_at = clock.now()
    session.flush()
    refresh_search_terms(session, officer)
    audit.record(
        session,
        actor,
        "officer.update",
        "officer",
        officer.id,
        officer.council_id,
        f"{officer.display_name} updated their profile",
    )
    return officer


def give_consent(session: Session, actor: Actor, version: str | None, current: str) -> Officer:
    if version is not None and version != current:
        raise InvalidInput(
            f"Version {version} is not the current consent text ({current}).", ["body", "version"]
        )
    officer = get_my_officer(session, actor)
    officer.consent_version = current
    officer.consented_at = clock.now()
    session.flush()
    audit.record(
        session,
        actor,
        "officer.consent",
        "officer",
        officer.id,
        officer.council_id,
        f"{officer.display_name} consented (version {current})",
    )
    return officer


def withdraw_consent(session: Session, actor: Actor) -> Officer:
    """The officer withdraws consent: no new hours can be listed and other councils no longer
    see the profile (it is unlisted too, so listing again is a fresh choice). Booked hours
    stand: bookings already made are not touched."""
    officer = get_my_officer(session, actor)
    previous = officer.consent_version
    officer.consent_version = None
    officer.consented_at = None
    officer.visible = False
    officer.updated_at = clock.now()
    session.flush()
    audit.record(
        session,
        actor,
        "officer.consent_withdraw",
        "officer",
        officer.id,
        officer.council_id,
        f"{officer.display_name} withdrew consent (was version {previous or 'none'})",
        {"previous_version": previous},
    )
    return officer


def is_listed(session: Session, officer: Officer) -> bool:
    """Whether other councils may see the officer: they chose to be listed, consented to the
    current agreement, and their council has accepted it."""
    return (
        officer.visible
        and councils.consent_is_current(session, officer.consent_version)
        and councils.has_accepted_agreement(session, officer.council_id)
    )


def visible_to(session: Session, actor: Actor, officer: Officer) -> bool:
    """Whether `readable_officers(actor)` holds an officer already loaded."""
    if actor.is_platform_admin or actor.council_id == officer.council_id:
        return True
    return is_listed(session, officer)


def get_officer_for(session: Session, actor: Actor, officer_id: uuid.UUID) -> Officer:
    """A profile as another user may see it (see `readable_officers`)."""
    officer = session.scalar(readable_officers(actor).where(Officer.id == officer_id))
    if officer is None:
        raise NotFound("No such officer.")
    return officer


def set_rate(session: Session, actor: Actor, officer_id: uuid.UUID, rate: int) -> Officer:
    officer = get_officer_for(session, actor, officer_id)
    authorize_council(
        actor, officer.council_id, Role.manager, Role.council_admin, platform_admin=False
    )
    previous = officer.rate_pence_per_hour
    officer.rate_pence_per_hour = rate
    officer.updated_at = clock.now()
    session.flush()
    audit.record(
        session,
        actor,
        "officer.rate",
        "officer",
        officer.id,
        officer.council_id,
        f"Rate for {officer.display_name} set to {rate}p/h (was {previous})",
        {"from": previous, "to": rate},
    )
    return officer


def officer_id_for_user(session: Session, user_id: uuid.UUID) -> uuid.UUID | None:
    return session.scalar(select(Officer.id).where(Officer.user_id == user_id))


_WORD = re.compile(r"[a-z0-9]+")
_STOP_WORDS = frozenset(
    ["a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"]
)
MAX_TERM_LENGTH = 40


def search_terms(*texts: str) -> list[str]:
    """Lower-case words worth searching for, without duplicates, in order of appearance."""
    words: dict[str, None] = {}
    for text in texts:
        for word in _WORD.findall(text.lower()):
            if len(word) > 1 and word not in _STOP_WORDS:
                words[word[:MAX_TERM_LENGTH]] = None
    return list(words)


def refresh_search_terms(session: Session, officer: Officer) -> None:
    """Rewrite the officer's words for free-text search (name, title, summary, skills)."""
    terms = search_terms(
        officer.display_name,
        officer.job_title,
        officer.summary,
        *(f"{skill.name} {skill.family}" for skill in officer.skills),
    )
    session.execute(delete(OfficerSearchTerm).where(OfficerSearchTerm.officer_id == officer.id))
    if terms:
        session.execute(
            insert(OfficerSearchTerm),
            [{"term": term, "officer_id": officer.id} for term in terms],
        )


def load_officers(session: Session, officer_ids: set[uuid.UUID]) -> list[Officer]:
    """Officers with their council (and its settings) and skills, for lists of results."""
    if not officer_ids:
        return []
    stmt = _with_profile(select(Officer).where(Officer.id.in_(officer_ids)))
    return list(session.scalars(stmt).unique())


def list_council_officers(
    session: Session, actor: Actor, params: PageParams
) -> tuple[list[Officer], str | None]:
    """The officers of the actor's own council, for its managers and admins."""
    if actor.council_id is None or not actor.has_any(Role.manager, Role.council_admin):
        raise Forbidden("Only managers and council admins list their council's officers.")
    stmt = readable_officers(actor).where(Officer.council_id == actor.council_id)
    return keyset_page(session, stmt, [Officer.display_name, Officer.id], params)


def rotate_calendar_token(session: Session, actor: Actor) -> str:
    """A new secret for the officer's calendar feed; the old address stops working."""
    officer = get_my_officer(session, actor)
    token = secrets.token_urlsafe(32)
    officer.calendar_token_hash = token_digest(token)
    session.flush()
    audit.record(
        session,
        actor,
        "officer.calendar_rotate",
        "officer",
        officer.id,
        officer.council_id,
        "Calendar feed address renewed",
    )
    return token


def officer_by_calendar_token(session: Session, token: str) -> Officer:
    officer = session.scalar(
        select(Officer).where(Officer.calendar_token_hash == token_digest(token))
    )
    if officer is None:
        raise NotFound("No such calendar.")
    return officer
