from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BeforeValidator

from app.audit import service
from app.audit.schemas import AuditEventOut, AuditPersonOut
from app.core import clock
from app.core.pagination import Page, PageParams, page_params
from app.dependencies import CurrentActor, DbSession

router = APIRouter(tags=["audit"])

ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _iso_text(value: Any) -> Any:
    """Dates as ISO 8601 text only (pydantic would read `0` as 1 January 1970)."""
    if isinstance(value, str) and not ISO_DATE.match(value):
        raise ValueError("must be a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_text)]


async def audit_filter(
    entity: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z_]+$")] = None,
    entity_id: uuid.UUID | None = None,
    actor: Annotated[uuid.UUID | None, Query(description="Who acted (user id)")] = None,
    first: Annotated[
        IsoDate | None, Query(alias="from", description="First day, included (London)")
    ] = None,
    last: Annotated[IsoDate | None, Query(alias="to", description="Last day, included")] = None,
) -> service.AuditFilter:
    return service.AuditFilter(entity, entity_id, actor, first, last)


Filters = Annotated[service.AuditFilter, Depends(audit_filter)]


@router.get("/audit", response_model=Page[AuditEventOut])
def list_audit(
    actor: CurrentActor,
    db: DbSession,
    paging: Annotated[PageParams, Depends(page_params)],
    filters: Filters,
) -> Page[AuditEventOut]:
    """Own council's events (council admins, finance), newest first; everything for platform
    admins. Filter by object (`entity`, `entity_id`), person (`actor`) and days."""
    rows, cursor = service.list_events(db, actor, paging, filters)
    return Page[AuditEventOut](
        items=[AuditEventOut.model_validate(r) for r in rows], next_cursor=cursor
    )


@router.get("/audit/people", response_model=list[AuditPersonOut])
def audit_people(actor: CurrentActor, db: DbSession) -> list[AuditPersonOut]:
    """The people who appear in the events the actor may read (to filter by person)."""
    return [AuditPersonOut.model_validate(p) for p in service.people(db, actor)]


@router.get(
    "/audit.csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def audit_csv(request: Request, actor: CurrentActor, filters: Filters) -> StreamingResponse:
    """The same events as CSV, streamed; text a spreadsheet could run as a formula starts `'`."""
    service.check_csv(actor, filters)
    name = f"audit-{clock.today().isoformat()}.csv"
    return StreamingResponse(
        service.csv_rows(request.app.state.session_factory, actor, filters),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
