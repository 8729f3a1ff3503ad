"""Helpers shared by the availability tests."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.availability import service
from app.availability.models import Availability
from app.notifications.models import OutboxMessage

API = "/api/v1"


def put_week(client, member, week, hours, single_booking=False):
    return client.put(f"{API}/officers/me/availability/{week}",
                      json={"hours": hours, "single_booking": single_booking},
                      headers=member.headers)


def listed(client, member, week, hours, **kwargs):
    response = put_week(client, member, week, hours, **kwargs)
    assert response.status_code == 200, response.text
    return response.json()


def officer_id(client, member):
    return client.get(f"{API}/officers/me", headers=member.headers).json()["id"]


def _uuid(value):
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def row(db, availability_id):
    return db.scalar(select(Availability).where(Availability.id == _uuid(availability_id))
                     .execution_options(populate_existing=True))


def book(db, availability_id, minutes):
    """Stand in for the bookings domain: hold hours through availability.service.hold
    (DESIGN.md rule 1's guarded UPDATE). 1 when held, 0 when refused."""
    held = service.hold(db, _uuid(availability_id), minutes)
    db.commit()
    return int(held)


def emails_to(db, member):
    messages = db.scalars(select(OutboxMessage).order_by(OutboxMessage.created_at)).all()
    return [m.payload for m in messages
            if m.kind == "email" and m.payload["to"] == member.user.email]


def audit_actions(db, council, entity="availability"):
    """The council's audit actions on the entity, sorted (the frozen test clock gives them all
    one time). Scoped to the council: concurrency tests really commit their own rows."""
    stmt = select(AuditEvent.action).where(AuditEvent.entity == entity,
                                           AuditEvent.council_id == council.id)
    return sorted(db.scalars(stmt))


def count(db, model, council=None):
    """Rows of `model`, of `council` only when given (and the table has a council_id)."""
    stmt = select(func.count()).select_from(model)
    if council is not None:
        stmt = stmt.where(model.council_id == council.id)
    return db.scalar(stmt)
