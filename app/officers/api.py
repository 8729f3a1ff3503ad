from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Depends
from sqlalchemy.orm import Session

from app.core.pagination import Page, PageParams, page_params
from app.councils import service as councils
from app.dependencies import CurrentActor, DbSession
from app.officers import service
from app.officers.models import Officer
from app.officers.schemas import (
    ConsentGive,
    MyOfficerOut,
    OfficerOut,
    OfficerUpdate,
    RateUpdate,
    SkillOut,
)

router = APIRouter(tags=["officers"])


def officer_out(officer: Officer) -> OfficerOut:
    return OfficerOut.model_validate(
        {**_fields(officer), "rate_pence_per_hour": service.effective_rate(officer)}
    )


def _fields(officer: Officer) -> dict[str, object]:
    return {
        "id": officer.id,
        "council": officer.council,
        "display_name": officer.display_name,
        "job_title": officer.job_title,
        "summary": officer.summary,
        "skills": officer.skills,
        "visible": officer.visible,
    }


def my_officer_out(db: Session, officer: Officer) -> MyOfficerOut:
    return MyOfficerOut.model_validate(
        {
            **_fields(officer),
            "rate_pence_per_hour": service.effective_rate(officer),
            "rate_is_council_default": officer.rate_pence_per_hour is None,
            "consent_version": officer.consent_version,
            "consented_at": officer.consented_at,
            "consent_current": councils.consent_is_current(db, officer.consent_version),
        }
    )


@router.get("/skills", response_model=Page[SkillOut])
def list_skills(actor: CurrentActor, db: DbSession) -> Page[SkillOut]:
    return Page[SkillOut](items=[SkillOut.model_validate(s) for s in service.list_skills(db)])


@router.get("/officers/me", response_model=MyOfficerOut)
def get_me(actor: CurrentActor, db: DbSession) -> MyOfficerOut:
    return my_officer_out(db, service.get_my_officer(db, actor))


@router.put("/officers/me", response_model=MyOfficerOut)
def update_me(body: OfficerUpdate, actor: CurrentActor, db: DbSession) -> MyOfficerOut:
    officer = service.update_my_profile(
        db, actor, body.display_name, body.job_title, body.summary, body.skills, body.visible
    )
    return my_officer_out(db, officer)


@router.post("/officers/me/consent", response_model=MyOfficerOut)
def give_consent(
    actor: CurrentActor, db: DbSession, body: Annotated[ConsentGive | None, Body()] = None
) -> MyOfficerOut:
    version = body.version if body else None
    current = councils.current_agreement(db).version
    return my_officer_out(db, service.give_consent(db, actor, version, current))


@router.delete("/officers/me/consent", response_model=MyOfficerOut)
def withdraw_consent(actor: CurrentActor, db: DbSession) -> MyOfficerOut:
    """Withdraws the officer's consent: no new hours can be listed (409, as before consenting)
    and other councils no longer see the profile or find it in search; the profile is unlisted
    (`visible` false). Bookings already made stand."""
    return my_officer_out(db, service.withdraw_consent(db, actor))


@router.get("/officers", response_model=Page[OfficerOut])
def list_officers(
    actor: CurrentActor, db: DbSession, paging: Annotated[PageParams, Depends(page_params)]
) -> Page[OfficerOut]:
    """Your own council's officers (managers and council admins)."""
    rows, cursor = service.list_council_officers(db, actor, paging)
    items = [officer_out(o).model_copy(update={"user_id": o.user_id}) for o in rows]
    return Page[OfficerOut](items=items, next_cursor=cursor)


@router.get("/officers/{officer_id}", response_model=OfficerOut)
def get_officer(officer_id: uuid.UUID, actor: CurrentActor, db: DbSession) -> OfficerOut:
    return officer_out(service.get_officer_for(db, actor, officer_id))


@router.put("/officers/{officer_id}/rate", response_model=OfficerOut)
def set_rate(
    officer_id: uuid.UUID, body: RateUpdate, actor: CurrentActor, db: DbSession
) -> OfficerOut:
    return officer_out(service.set_rate(db, actor, officer_id, body.rate_pence_per_hour))
