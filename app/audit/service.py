"""The append-only audit trail: every state change records who did what to which object."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.core.actor import Actor, Role
from app.core.errors import Forbidden
from app.core.pagination import PageParams, keyset_page


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: uuid.UUID,
    council_id: uuid.UUID | None,
    summary: str,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write an audit event in the caller's transaction (so it commits or rolls back with it)."""
    event = AuditEvent(
        actor_user_id=actor.user_id if actor else None,
        council_id=council_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        summary=summary[:500],
        data=data,
    )
    session.add(event)
    return event


def list_events(
    session: Session,
    actor: Actor,
    params: PageParams,
    entity: str | None = None,
    entity_id: uuid.UUID | None = None,
) -> tuple[list[AuditEvent], str | None]:
    """Own council's events for council admins and finance; everything for platform admins."""
    stmt = select(AuditEvent)
    if not actor.is_platform_admin:
        if not actor.has_any(Role.council_admin, Role.finance):
            raise Forbidden("Only council admins and finance can read the audit trail.")
        stmt = stmt.where(AuditEvent.council_id == actor.council_id)
    if entity:
        stmt = stmt.where(AuditEvent.entity == entity)
    if entity_id:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    return keyset_page(session, stmt, [AuditEvent.at, AuditEvent.id], params, descending=True)


def history(session: Session, entity: str, entity_id: uuid.UUID) -> list[AuditEvent]:
    """An object's events, oldest first; the caller has already checked the actor may see it."""
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return list(session.scalars(stmt))
