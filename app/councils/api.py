from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Depends

from app.auth import users
from app.auth.schemas import UserOut
from app.core.actor import Actor, Role
from app.core.pagination import Page, PageParams, page_params
from app.councils import service
from app.councils.schemas import (
    AgreementAccept,
    AgreementAcceptanceOut,
    AgreementOut,
    CouncilCreate,
    CouncilOut,
    CouncilSettingsOut,
    CouncilSettingsUpdate,
    InvitationCreate,
    InvitationOut,
)
from app.dependencies import CurrentActor, DbSession, require_platform_admin

router = APIRouter(tags=["councils"])
Paging = Annotated[PageParams, Depends(page_params)]


@router.get("/councils", response_model=Page[CouncilOut])
def list_councils(actor: CurrentActor, db: DbSession, paging: Paging) -> Page[CouncilOut]:
    rows, cursor = service.list_councils(db, paging)
    return Page[CouncilOut](items=[CouncilOut.model_validate(r) for r in rows], next_cursor=cursor)


@router.post(
    "/councils",
    response_model=CouncilOut,
    status_code=201,
    responses={409: {"description": "The code is taken"}},
)
def create_council(
    body: CouncilCreate,
    actor: Annotated[Actor, Depends(require_platform_admin)],
    db: DbSession,
) -> CouncilOut:
    council = service.create_council(
        db, actor, body.name, body.code, body.nation, body.region, body.gss_code
    )
    return CouncilOut.model_validate(council)


@router.get("/councils/{council_id}/settings", response_model=CouncilSettingsOut)
def get_settings(council_id: uuid.UUID, actor: CurrentActor, db: DbSession) -> CouncilSettingsOut:
    return CouncilSettingsOut.model_validate(service.get_settings_for(db, actor, council_id))


@router.patch("/councils/{council_id}/settings", response_model=CouncilSettingsOut)
def update_settings(
    council_id: uuid.UUID, body: CouncilSettingsUpdate, actor: CurrentActor, db: DbSession
) -> CouncilSettingsOut:
    row = service.update_settings(db, actor, council_id, body)
    return CouncilSettingsOut.model_validate(row)


@router.get("/agreement", response_model=AgreementOut)
def get_agreement(actor: CurrentActor, db: DbSession) -> AgreementOut:
    return AgreementOut.model_validate(service.current_agreement(db))


@router.post("/councils/{council_id}/agreement", response_model=AgreementAcceptanceOut)
def accept_agreement(
    council_id: uuid.UUID,
    actor: CurrentActor,
    db: DbSession,
    body: Annotated[AgreementAccept | None, Body()] = None,
) -> AgreementAcceptanceOut:
    version = body.version if body else None
    return AgreementAcceptanceOut.model_validate(
        service.accept_agreement(db, actor, council_id, version)
    )


@router.post(
    "/councils/{council_id}/invitations",
    response_model=InvitationOut,
    status_code=201,
    responses={409: {"description": "Already a user or already invited"}},
)
def invite(
    council_id: uuid.UUID, body: InvitationCreate, actor: CurrentActor, db: DbSession
) -> InvitationOut:
    invitation = service.invite(db, actor, council_id, str(body.email), body.name, body.roles)
    return InvitationOut.model_validate(invitation)


@router.get("/councils/{council_id}/invitations", response_model=Page[InvitationOut])
def list_invitations(
    council_id: uuid.UUID, actor: CurrentActor, db: DbSession, paging: Paging
) -> Page[InvitationOut]:
    rows, cursor = service.list_invitations(db, actor, council_id, paging)
    return Page[InvitationOut](
        items=[InvitationOut.model_validate(r) for r in rows], next_cursor=cursor
    )


@router.get("/councils/{council_id}/users", response_model=Page[UserOut])
def list_users(
    council_id: uuid.UUID,
    actor: CurrentActor,
    db: DbSession,
    paging: Paging,
    role: Role | None = None,
    active: bool | None = None,
) -> Page[UserOut]:
    """The council's people, optionally only those with a role, or only (in)active ones."""
    rows, cursor = users.list_users(db, actor, council_id, paging, role, active)
    return Page[UserOut](items=[UserOut.model_validate(r) for r in rows], next_cursor=cursor)
