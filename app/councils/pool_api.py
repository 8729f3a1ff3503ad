"""Routes for the pool's membership: joining (public), the agreement's versions, leaving,
invitations kept up to date, and the platform admins' view of every council."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from app.core.actor import Actor
from app.core.pagination import Page, PageParams, page_params
from app.core.types import ShortText
from app.councils import agreement, directory, joining
from app.councils import service as councils
from app.councils.agreement import CouncilAgreement
from app.councils.schemas import (
    AcceptanceOut,
    AgreementOut,
    AgreementVersionCreate,
    CouncilAgreementOut,
    CouncilEntryOut,
    CouncilRef,
    CouncilStateName,
    CouncilUpdate,
    InvitationOut,
    JoinApprove,
    JoinDecline,
    JoinRequestAccepted,
    JoinRequestCreate,
    JoinRequestOut,
    JoinVerified,
    JoinVerify,
    RegisterCouncilOut,
    RegisterOut,
)
from app.dependencies import CurrentActor, DbSession, client_ip, require_platform_admin

router = APIRouter(tags=["councils"])
Paging = Annotated[PageParams, Depends(page_params)]
PlatformAdmin = Annotated[Actor, Depends(require_platform_admin)]


def council_agreement_out(council_id: uuid.UUID, state: CouncilAgreement) -> CouncilAgreementOut:
    latest = state.latest
    return CouncilAgreementOut(
        council_id=council_id,
        current_version=state.current.version,
        accepted_version=latest.version if latest else None,
        accepted_at=latest.accepted_at if latest else None,
        accepted_by_name=state.accepted_by_name,
        accepted_current=state.accepted_current,
        left_at=state.left_at,
    )


def join_request_out(view: joining.JoinRequestView) -> JoinRequestOut:
    row = view.request
    return JoinRequestOut.model_validate(
        {
            "id": row.id,
            "council": row.council,
            "council_state": view.council_state,
            "council_people": view.council_people,
            "email_domains": view.email_domains,
            "email_has_account": view.email_has_account,
            "name": row.name,
            "job_title": row.job_title,
            "email": row.email,
            "status": row.status,
            "created_at": row.created_at,
            "verified_at": row.verified_at,
            "decided_at": row.decided_at,
            "decline_reason": row.decline_reason,
            "invitation_id": row.invitation_id,
        }
    )


def entry_out(entry: directory.CouncilEntry) -> CouncilEntryOut:
    c = entry.council
    return CouncilEntryOut(
        id=c.id,
        name=c.name,
        code=c.code,
        nation=c.nation,
        region=c.region,
        gss_code=c.gss_code,
        authority_type=c.authority_type,
        state=entry.state,
        people=entry.people,
    )


# --- joining (no sign-in) ----------------------------------------------------------------


@router.get("/register/councils", response_model=RegisterOut)
def register(db: DbSession) -> RegisterOut:
    """Every council of the register, for the join page (nothing about who has joined)."""
    return RegisterOut(
        councils=[RegisterCouncilOut.model_validate(c) for c in joining.register(db)]
    )


@router.post(
    "/join-requests",
    response_model=JoinRequestAccepted,
    status_code=202,
    responses={429: {"description": "Too many requests from this network"}},
)
def ask_to_join(body: JoinRequestCreate, request: Request, db: DbSession) -> JoinRequestAccepted:
    """Always the same answer: a link is emailed when the request can go ahead.
    The client's IP comes from `client_ip` (app.dependencies)."""
    joining.request_to_join(
        db, body.council_code, body.name, body.job_title, str(body.email), client_ip(request)
    )
    return JoinRequestAccepted()


@router.post(
    "/join-requests/verify",
    response_model=JoinVerified,
    responses={404: {"description": "Unknown link"}, 409: {"description": "Used or expired"}},
)
def verify_join_request(body: JoinVerify, db: DbSession) -> JoinVerified:
    row = joining.verify(db, body.token)
    return JoinVerified(council_name=row.council.name, status=row.status)


# --- join requests (platform admins) -------------------------------------------------------


@router.get("/join-requests", response_model=Page[JoinRequestOut])
def list_join_requests(
    actor: CurrentActor,
    db: DbSession,
    paging: Paging,
    status: Annotated[str, Query(pattern=r"^(unverified|pending|approved|declined)$")] = "pending",
) -> Page[JoinRequestOut]:
    views, cursor = joining.list_requests(db, actor, status, paging)
    return Page[JoinRequestOut](items=[join_request_out(v) for v in views], next_cursor=cursor)


@router.get("/join-requests/{request_id:uuid}", response_model=JoinRequestOut)
def get_join_request(request_id: uuid.UUID, actor: CurrentActor, db: DbSession) -> JoinRequestOut:
    return join_request_out(joining.get_request(db, actor, request_id))


@router.post("/join-requests/{request_id}/approve", response_model=JoinRequestOut)
def approve_join_request(
    request_id: uuid.UUID, body: JoinApprove, actor: CurrentActor, db: DbSession
) -> JoinRequestOut:
    return join_request_out(joining.approve(db, actor, request_id, body.email_domains))


@router.post("/join-requests/{request_id}/decline", response_model=JoinRequestOut)
def decline_join_request(
    request_id: uuid.UUID, body: JoinDecline, actor: CurrentActor, db: DbSession
) -> JoinRequestOut:
    return join_request_out(joining.decline(db, actor, request_id, body.reason))


# --- the agreement -----------------------------------------------------------------------


@router.get("/agreement/versions", response_model=Page[AgreementOut])
def list_agreement_versions(actor: CurrentActor, db: DbSession) -> Page[AgreementOut]:
    """Every published version, the current (latest) first."""
    return Page[AgreementOut](
        items=[AgreementOut.model_validate(v) for v in agreement.list_versions(db)]
    )


@router.post(
    "/agreement/versions",
    response_model=AgreementOut,
    status_code=201,
    responses={409: {"description": "Published at the same moment as another"}},
)
def publish_agreement_version(
    body: AgreementVersionCreate, actor: CurrentActor, db: DbSession
) -> AgreementOut:
    row = agreement.publish_version(db, actor, body.version, body.text, body.officer_consent_text)
    return AgreementOut.model_validate(row)


@router.get("/agreement/acceptances", response_model=Page[AcceptanceOut])
def list_acceptances(actor: CurrentActor, db: DbSession, paging: Paging) -> Page[AcceptanceOut]:
    """The councils on the current version now (in the pool), earliest first."""
    rows, cursor = agreement.acceptances_of_current(db, paging)
    items = [
        AcceptanceOut(
            council=CouncilRef.model_validate(council), version=a.version, accepted_at=a.accepted_at
        )
        for council, a in rows
    ]
    return Page[AcceptanceOut](items=items, next_cursor=cursor)


@router.get("/councils/{council_id}/agreement", response_model=CouncilAgreementOut)
def get_council_agreement(
    council_id: uuid.UUID, actor: CurrentActor, db: DbSession
) -> CouncilAgreementOut:
    return council_agreement_out(council_id, agreement.council_agreement(db, actor, council_id))


@router.delete(
    "/councils/{council_id}/agreement",
    response_model=CouncilAgreementOut,
    responses={409: {"description": "Not in the pool"}},
)
def leave_pool(council_id: uuid.UUID, actor: CurrentActor, db: DbSession) -> CouncilAgreementOut:
    """The council leaves the pool: no new bookings to or from it; existing ones carry on."""
    return council_agreement_out(council_id, agreement.leave_pool(db, actor, council_id))


# --- invitations ---------------------------------------------------------------------------


@router.post("/invitations/{invitation_id}/resend", response_model=InvitationOut)
def resend_invitation(
    invitation_id: uuid.UUID, actor: CurrentActor, db: DbSession
) -> InvitationOut:
    """A new link (the old one stops working) and a new expiry date, emailed again."""
    return InvitationOut.model_validate(councils.resend_invitation(db, actor, invitation_id))


@router.delete("/invitations/{invitation_id}", response_model=InvitationOut)
def revoke_invitation(
    invitation_id: uuid.UUID, actor: CurrentActor, db: DbSession
) -> InvitationOut:
    return InvitationOut.model_validate(councils.revoke_invitation(db, actor, invitation_id))


# --- the platform's councils ---------------------------------------------------------------


@router.get("/platform/councils", response_model=Page[CouncilEntryOut])
def list_all_councils(
    actor: PlatformAdmin,
    db: DbSession,
    paging: Paging,
    state: CouncilStateName | None = None,
    q: Annotated[ShortText | None, Query(max_length=100)] = None,
) -> Page[CouncilEntryOut]:
    """Every council with its state: not joined, requested, invited, member or left."""
    entries, cursor = directory.list_with_state(db, actor, paging, state, q)
    return Page[CouncilEntryOut](items=[entry_out(e) for e in entries], next_cursor=cursor)


@router.get("/platform/councils/{council_id}", response_model=CouncilEntryOut)
def get_any_council(council_id: uuid.UUID, actor: PlatformAdmin, db: DbSession) -> CouncilEntryOut:
    return entry_out(directory.get_entry(db, actor, council_id))


@router.patch(
    "/councils/{council_id}",
    response_model=CouncilEntryOut,
    responses={409: {"description": "The code is taken"}},
)
def update_council(
    council_id: uuid.UUID, body: CouncilUpdate, actor: PlatformAdmin, db: DbSession
) -> CouncilEntryOut:
    """Corrections the register misses (reorganisations): name, code, nation, region, GSS code."""
    return entry_out(directory.update_council(db, actor, council_id, body))
