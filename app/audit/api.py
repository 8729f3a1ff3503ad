from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.audit import service
from app.audit.schemas import AuditEventOut
from app.core.pagination import Page, PageParams, page_params
from app.dependencies import CurrentActor, DbSession

router = APIRouter(tags=["audit"])


@router.get("/audit", response_model=Page[AuditEventOut])
def list_audit(
    actor: CurrentActor,
    db: DbSession,
    paging: Annotated[PageParams, Depends(page_params)],
    entity: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z_]+$")] = None,
    entity_id: uuid.UUID | None = None,
) -> Page[AuditEventOut]:
    rows, cursor = service.list_events(db, actor, paging, entity, entity_id)
    return Page[AuditEventOut](
        items=[AuditEventOut.model_validate(r) for r in rows], next_cursor=cursor
    )
