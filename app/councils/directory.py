"""The platform's view of every council: where each stands with the pool (not joined,
requested, invited, member, left), and corrections the register misses (reorganisations)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal, cast

from sqlalchemy import ColumnElement, and_, case, exists, or_, select
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth import users
from app.core import clock
from app.core.actor import Actor
from app.core.errors import Conflict, Forbidden, NotFound
from app.core.pagination import PageParams, keyset_page
from app.councils.models import (
    AgreementAcceptance,
    Council,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
)
from app.councils.schemas import CouncilUpdate

CouncilState = Literal["not_joined", "requested", "invited", "member", "left"]
STATES: tuple[CouncilState, ...] = ("not_joined", "requested", "invited", "member", "left")


def _state_expression() -> ColumnElement[str]:
    """Each council's state in SQL, so lists can filter and page on it."""
    a = AgreementAcceptance
    live = exists().where(a.council_id == Council.id, a.left_at.is_(None))
    left = exists().where(a.council_id == Council.id, a.left_at.is_not(None))
    open_invitation = exists().where(
        Invitation.council_id == Council.id,
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > clock.now(),
    )
    has_people = Council.id.in_(users.council_ids_with_people())
    requested = exists().where(
        JoinRequest.council_id == Council.id, JoinRequest.status == JoinRequestStatus.pending
    )
    return case(
        (live, "member"),
        (left, "left"),
        (or_(has_people, open_invitation), "invited"),
        (requested, "requested"),
        else_="not_joined",
    )


@dataclass(frozen=True)
class CouncilEntry:
    council: Council
    state: CouncilState
    people: int


def _require_platform_admin(actor: Actor) -> None:
    if not actor.is_platform_admin:
        raise Forbidden("Only platform admins can do this.")


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_with_state(
    session: Session,
    actor: Actor,
    params: PageParams,
    state: CouncilState | None = None,
    q: str | None = None,
) -> tuple[list[CouncilEntry], str | None]:
    """Every council, by name, with its state and how many people it has."""
    _require_platform_admin(actor)
    stmt = select(Council)
    if state is not None:
        stmt = stmt.where(_state_expression() == state)
    if q:
        pattern = _like(q.strip())
        stmt = stmt.where(
            or_(Council.name.ilike(pattern, escape="\\"), Council.code.ilike(pattern, escape="\\"))
        )
    rows, cursor = keyset_page(session, stmt, [Council.name, Council.id], params)
    return entries(session, rows), cursor


def entries(session: Session, rows: list[Council]) -> list[CouncilEntry]:
    ids = [row.id for row in rows]
    stmt = select(Council.id, _state_expression()).where(Council.id.in_(ids))
    states = {council_id: state for council_id, state in session.execute(stmt)}
    people = users.people_per_council(session, ids)
    return [
        CouncilEntry(row, cast(CouncilState, states[row.id]), people.get(row.id, 0)) for row in rows
    ]


def get_entry(session: Session, actor: Actor, council_id: uuid.UUID) -> CouncilEntry:
    _require_platform_admin(actor)
    council = session.get(Council, council_id)
    if council is None:
        raise NotFound("No such council.")
    return entries(session, [council])[0]


def state_of(session: Session, council_id: uuid.UUID) -> CouncilState:
    value = session.scalar(select(_state_expression()).where(Council.id == council_id))
    if value is None:
        raise NotFound("No such council.")
    return cast(CouncilState, value)


def update_council(
    session: Session, actor: Actor, council_id: uuid.UUID, update: CouncilUpdate
) -> CouncilEntry:
    """A platform admin corrects a council's name, code, nation, region or GSS code (those set
    on `update`)."""
    _require_platform_admin(actor)
    council = session.get(Council, council_id)
    if council is None:
        raise NotFound("No such council.")
    changes = {key: getattr(update, key) for key in update.model_fields_set}
    code = update.code
    if code and code != council.code:
        taken = session.scalar(
            select(Council.id).where(and_(Council.code == code, Council.id != council_id))
        )
        if taken:
            raise Conflict(f"A council with code {code} already exists.")
    before = {key: getattr(council, key) for key in changes}
    for key, value in changes.items():
        setattr(council, key, value)
    session.flush()
    changed = sorted(key for key in changes if before[key] != changes[key])
    audit.record(
        session,
        actor,
        "council.update",
        "council",
        council.id,
        council.id,
        f"{council.name} ({council.code}) corrected: " + (", ".join(changed) or "no change"),
        {"changed": {key: [before[key], changes[key]] for key in changed}},
    )
    return entries(session, [council])[0]
