"""Who is signed in, in one answer: the user, their council and their officer profile.

This is where auth, councils and officers meet; none of them imports the others for it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth import oidc, passwords, sign_in, users
from app.auth import service as auth
from app.auth.models import CouncilSignIn, User
from app.auth.schemas import SsoSettingsIn, UserUpdate
from app.core import clock
from app.core.actor import Actor, Role, Via, authorize_council
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
    # This session must set up two-factor sign-in before anything else.
    two_factor_setup_required: bool = False
    # How this session started: "password", "sso", or None (an API token).
    signed_in_with: str | None = None


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
    """The invited person's account, profile and first session (the password as the NCSC
    advises: long, and not a common one)."""
    passwords.check(password)
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
    row = auth.session_of(session, actor.session_token) if actor.session_token else None
    po_required = council is not None and councils.council_settings(session, council.id).po_required
    return Me(
        user=user,
        council=council,
        officer_id=officers.officer_id_for_user(session, user.id),
        csrf_token=csrf,
        today=clock.today(),
        current_week=current_week(),
        po_required=po_required,
        two_factor_setup_required=bool(row and row.must_enrol),
        signed_in_with=row.method if row else None,
    )


# --- signing in through the council's provider, and the council's sign-in settings ----------


def sign_in_settings(session: Session, actor: Actor, council_id: uuid.UUID) -> CouncilSignIn:
    """A council's sign-in settings, for its own council admins only."""
    authorize_council(actor, council_id, Role.council_admin, platform_admin=False)
    return sign_in.current(session, council_id)


def configure_sign_in(
    session: Session, actor: Actor, council_id: uuid.UUID, changes: SsoSettingsIn
) -> CouncilSignIn:
    """Change them: only a council admin of that council, with domains of that council."""
    authorize_council(actor, council_id, Role.council_admin, platform_admin=False)
    domains = councils.council_settings(session, council_id).email_domains
    return sign_in.save(session, actor, council_id, changes, domains)


def sso_sign_in(session: Session, verified: oidc.Verified, client: auth.Client) -> tuple[User, str]:
    """The person the provider vouched for, matched by email; a new one from the council's
    domains arrives as an officer only when the council allows it. Their session."""
    user = auth.get_user_by_email(session, verified.email)
    if user is None:
        settings = auth.sign_in_settings(session, verified.council_id)
        if settings is None or not settings.create_officers:
            raise oidc.SsoRefused(
                "not_invited",
                f"{verified.email} has no account yet. Ask your council admin for an invitation.",
            )
        user = add_member(
            session, None, verified.council_id, verified.email, verified.name, [Role.officer], None
        )
    elif user.council_id != verified.council_id or not user.active:
        raise oidc.SsoRefused(
            "not_member", f"{verified.email} cannot sign in through this council's provider."
        )
    token = auth.open_session(
        session, user, client, sso_council_id=verified.council_id, id_token=verified.id_token
    )
    audit.record(
        session,
        auth.actor_for(user, Via.session),
        "auth.login",
        "user",
        user.id,
        user.council_id,
        f"{user.email} signed in through their council's provider",
    )
    return user, token
