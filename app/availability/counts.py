"""What needs doing about availability, counted for the home page."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.availability.models import Availability, AvailabilityStatus
from app.core import clock
from app.core.actor import Actor, Role
from app.officers.models import Officer


def approvals_waiting(session: Session, actor: Actor) -> int:
    """Pending weeks not started yet of the officers who report to the manager (or to nobody):
    the sign-off requests that were sent to them."""
    if actor.council_id is None or not actor.has_any(Role.manager):
        return 0
    stmt = (
        select(func.count())
        .select_from(Availability)
        .join(Officer, Officer.id == Availability.officer_id)
        .join(User, User.id == Officer.user_id)
        .where(
            Availability.council_id == actor.council_id,
            Availability.status == AvailabilityStatus.pending,
            Availability.week_start > clock.today(),
            User.id != actor.user_id,
            or_(User.line_manager_id == actor.user_id, User.line_manager_id.is_(None)),
        )
    )
    return session.scalar(stmt) or 0
