"""The person's own in-app notifications: list, unread count, mark read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.core.pagination import Page, PageParams, page_params
from app.dependencies import CurrentActor, DbSession
from app.notifications import service
from app.notifications.schemas import (
    MarkedReadOut,
    MarkReadBody,
    NotificationOut,
    UnreadCountOut,
)

router = APIRouter(tags=["notifications"])


@router.get("/notifications", response_model=Page[NotificationOut])
def list_notifications(
    actor: CurrentActor,
    db: DbSession,
    params: Annotated[PageParams, Depends(page_params)],
    unread: Annotated[bool, Query()] = False,
) -> Page[NotificationOut]:
    rows, cursor = service.list_notifications(db, actor, unread, params)
    items = [NotificationOut.model_validate(row) for row in rows]
    return Page[NotificationOut](items=items, next_cursor=cursor)


@router.get("/notifications/unread-count", response_model=UnreadCountOut)
def unread_count(actor: CurrentActor, db: DbSession) -> UnreadCountOut:
    return UnreadCountOut(unread=service.unread_count(db, actor))


@router.post("/notifications/read", response_model=MarkedReadOut)
def mark_read(body: MarkReadBody, actor: CurrentActor, db: DbSession) -> MarkedReadOut:
    marked = service.mark_read(db, actor, body.ids, body.all)
    return MarkedReadOut(marked=marked, unread=service.unread_count(db, actor))
