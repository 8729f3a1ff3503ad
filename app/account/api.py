"""`/me`, and the two ways a session starts (signing in, accepting an invitation), which answer
with the account."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from sqlalchemy.orm import Session

from app.account import home, service
from app.account.schemas import HomeOut, MeCouncilOut, MeOut, SessionStarted, TaskOut
from app.auth import service as auth
from app.auth.api import set_session_cookie
from app.auth.models import User
from app.auth.schemas import LoginRequest, UserOut, UserUpdate
from app.core.actor import Via
from app.councils.schemas import CouncilOut, InvitationAccept
from app.dependencies import CurrentActor, DbSession, client_ip

router = APIRouter(tags=["auth"])


def me_out(me: service.Me) -> MeOut:
    return MeOut(
        id=me.user.id,
        email=me.user.email,
        name=me.user.name,
        council=(
            MeCouncilOut(
                **CouncilOut.model_validate(me.council).model_dump(), po_required=me.po_required
            )
            if me.council
            else None
        ),
        roles=me.user.roles,
        is_platform_admin=me.user.is_platform_admin,
        officer_id=me.officer_id,
        csrf_token=me.csrf_token,
        today=me.today,
        current_week=me.current_week,
    )


def _session_started(
    db: Session, request: Request, response: Response, user: User, token: str
) -> SessionStarted:
    set_session_cookie(request, response, token)
    actor = auth.actor_for(user, Via.session, token)
    return SessionStarted(
        user=me_out(service.describe(db, actor)), csrf_token=auth.csrf_token_for(token)
    )


@router.get("/me", response_model=MeOut)
def me(actor: CurrentActor, db: DbSession) -> MeOut:
    return me_out(service.describe(db, actor))


@router.get("/home", response_model=HomeOut, tags=["account"])
def what_needs_doing(actor: CurrentActor, db: DbSession) -> HomeOut:
    """What needs doing now, with counts and the page to go to, for each of the actor's roles."""
    return HomeOut(
        tasks=[TaskOut.model_validate(t, from_attributes=True) for t in home.todo(db, actor)]
    )


@router.post(
    "/auth/login",
    response_model=SessionStarted,
    responses={
        401: {"description": "Wrong email or password"},
        429: {"description": "Too many failures"},
    },
)
def login(
    body: LoginRequest, request: Request, response: Response, db: DbSession
) -> SessionStarted:
    user, token = auth.login(db, str(body.email), body.password, client_ip(request))
    return _session_started(db, request, response, user, token)


@router.post(
    "/invitations/{token}/accept",
    response_model=SessionStarted,
    responses={409: {"description": "Used or expired"}},
)
def accept_invitation(
    token: Annotated[str, Path(max_length=100, pattern=r"^[A-Za-z0-9_-]+$")],
    body: InvitationAccept,
    request: Request,
    response: Response,
    db: DbSession,
) -> SessionStarted:
    user, session_token = service.accept_invitation(db, token, body.password)
    return _session_started(db, request, response, user, session_token)


@router.patch(
    "/users/{user_id}",
    response_model=UserOut,
    tags=["councils"],
    responses={409: {"description": "Would leave the council without an admin"}},
)
def update_user(
    user_id: uuid.UUID, body: UserUpdate, actor: CurrentActor, db: DbSession
) -> UserOut:
    return UserOut.model_validate(service.update_member(db, actor, user_id, body))
