"""Officer profiles, skills, consent and recharge rates."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.audit import service as audit
from app.core import clock
from app.core.errors import Forbidden, InvalidInput, NotFound
from app.councils.models import Council
from app.officers.models import Officer, Skill

if TYPE_CHECKING:
    from app.auth.models import User
    from app.auth.service import Actor


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


def load_officer(session: Session, officer_id: uuid.UUID) -> Officer | None:
    stmt = (
        select(Officer)
        .where(Officer.id == officer_id)
        .options(
            joinedload(Officer.council).joinedload(Council.settings),
            selectinload(Officer.skills),
        )
    )
    return session.scalar(stmt)


def get_my_officer(session: Session, actor: Actor) -> Officer:
    if not actor.has_any("officer"):
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


def get_officer_for(session: Session, actor: Actor, officer_id: uuid.UUID) -> Officer:
    """A profile as another user may see it: visible ones, or any of one's own council."""
    officer = load_officer(session, officer_id)
    if officer is None:
        raise NotFound("No such officer.")
    same_council = actor.council_id == officer.council_id
    if not (officer.visible or same_council or actor.is_platform_admin):
        raise NotFound("No such officer.")
    return officer


def set_rate(session: Session, actor: Actor, officer_id: uuid.UUID, rate: int) -> Officer:
    from app.auth.service import authorize_council

    officer = load_officer(session, officer_id)
    if officer is None:
        raise NotFound("No such officer.")
    if actor.council_id != officer.council_id and not officer.visible:
        raise NotFound("No such officer.")
    authorize_council(actor, officer.council_id, "manager", "council_admin", platform_admin=False)
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
