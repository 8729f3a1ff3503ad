"""Who is signed in, in one answer: the user, their council and their officer profile.

This is where auth, councils and officers meet; none of them imports the others for it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.auth import service as auth
from app.auth import users
from app.auth.models import User
from app.auth.schemas import UserUpdate
from app.core import clock
from app.core.actor import Actor, Role
from app.core.errors import NotFound
from app.core.isoweek import Week, current_week
from app.councils import service as councils
from app.councils.models import Council
from app.officers import service as officers


@dataclass(frozen=True)
class Me:
    user: User
    council: Council | None
    officer_id: uuid.UUID | None
    csrf_token: str | None
    today: date
    current_week: Week
    # Whether the person's council asks for a purchase order number on every booking it makes.
    po_required: bool = False


def add_member(
    session: Session,
    actor: Actor | None,
    council_id: uuid.UUID | None,
    email: str,
    name: str,
    roles: Iterable[Role],
    password: str | None,
    is_platform_admin: bool = False,
) -> User:
    """A new person with their roles, and an officer profile when they are an officer."""
    user = users.create_user(
        session, actor, council_id, email, name, roles, password, is_platform_admin
    )
    _ensure_profile(session, user)
    return user


def update_member(session: Session, actor: Actor, user_id: uuid.UUID, changes: UserUpdate) -> User:
    user = users.update_user(session, actor, user_id, changes)
    _ensure_profile(session, user)
    return user


def accept_invitation(session: Session, token: str, password: str) -> tuple[User, str]:
    """The invited person's account, profile and first session."""
    user, session_token = councils.accept_invitation(session, token, password)
    _ensure_profile(session, user)
    return user, session_token


def _ensure_profile(session: Session, user: User) -> None:
    if user.active and Role.officer in user.roles:
        officers.ensure_officer(session, user)


def describe(session: Session, actor: Actor) -> Me:
    """Everything the SPA needs about who is signed in, with the server's today."""
    user = auth.get_user(session, actor.user_id)
    if user is None:
        raise NotFound("No such user.")
    council = councils.get_council(session, user.council_id) if user.council_id else None
    csrf = auth.csrf_token_for(actor.session_token) if actor.session_token else None
    po_required = council is not None and councils.council_settings(session, council.id).po_required
    return Me(
        user=user,
        council=council,
        officer_id=officers.officer_id_for_user(session, user.id),
        csrf_token=csrf,
        today=clock.today(),
        current_week=current_week(),
        po_required=po_required,
    )
