"""The append-only audit trail: every state change records who did what to which object."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any, cast

from sqlalchemy import ColumnElement, Insert, Select, Table, func, insert, select, tuple_
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.core.actor import Actor, Role
from app.core.clock import LONDON
from app.core.csvsafe import csv_row
from app.core.errors import Forbidden, InvalidInput
from app.core.pagination import PageParams, keyset_page

SessionFactory = Callable[[], Session]
CSV_COLUMNS = (
    "at",
    "actor_name",
    "actor_user_id",
    "action",
    "entity",
    "entity_id",
    "summary",
)
# Rows read per short transaction while the CSV streams.
CSV_WINDOW = 1000


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
    event = AuditEvent(**_event(actor, action, entity, entity_id, council_id, summary, data))
    session.add(event)
    return event


def record_in_trails(
    session: Session,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: uuid.UUID,
    trails: Sequence[tuple[uuid.UUID | None, str]],
) -> None:
    """The same event in several councils' trails (`(council_id, summary)` each), written at
    once in one INSERT: no objects for the session to track and flush (half the CPU of
    `record` per event). The rows are in the transaction at once (queries see them); only the
    Session's identity map does not hold them, so nothing is returned."""
    rows = [_event(actor, action, entity, entity_id, council, text) for council, text in trails]
    session.execute(_appending(), rows)


def _event(
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: uuid.UUID,
    council_id: uuid.UUID | None,
    summary: str,
    data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One event's columns (but its id and time, the columns' defaults): the single place that
    says what `record` and `record_in_trails` write, cuts included."""
    return {
        "actor_user_id": actor.user_id if actor else None,
        "actor_name": actor.name[:120] if actor else None,
        "council_id": council_id,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "summary": summary[:500],
        "data": data,
    }


@cache
def _appending() -> Insert:
    """Built once: a Core INSERT of the table (the columns' defaults, id and time, filled in
    for each row)."""
    return insert(cast(Table, AuditEvent.__table__))


@dataclass(frozen=True)
class AuditFilter:
    """What to show: one kind of object (or one object), one person, a range of days."""

    entity: str | None = None
    entity_id: uuid.UUID | None = None
    actor_user_id: uuid.UUID | None = None
    first: date | None = None
    last: date | None = None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def _readable(actor: Actor, filters: AuditFilter) -> Select[AuditEvent]:
    """The one statement of the events an actor may read: their own council's for council
    admins and finance; everything for platform admins."""
    if filters.first and filters.last and filters.first > filters.last:
        raise InvalidInput("The start date is after the end date.", ["query", "to"])
    stmt = select(AuditEvent)
    if not actor.is_platform_admin:
        if actor.council_id is None or not actor.has_any(Role.council_admin, Role.finance):
            raise Forbidden("Only council admins and finance can read the audit trail.")
        stmt = stmt.where(AuditEvent.council_id == actor.council_id)
    conditions: list[ColumnElement[bool]] = []
    if filters.entity:
        conditions.append(AuditEvent.entity == filters.entity)
    if filters.entity_id:
        conditions.append(AuditEvent.entity_id == filters.entity_id)
    if filters.actor_user_id:
        conditions.append(AuditEvent.actor_user_id == filters.actor_user_id)
    if filters.first:
        conditions.append(AuditEvent.at >= _start_of(filters.first))
    if filters.last:
        conditions.append(AuditEvent.at < _start_of(filters.last + timedelta(days=1)))
    return stmt.where(*conditions)


def list_events(
    session: Session,
    actor: Actor,
    params: PageParams,
    filters: AuditFilter | None = None,
) -> tuple[list[AuditEvent], str | None]:
    """The actor's readable events, newest first."""
    stmt = _readable(actor, filters or AuditFilter())
    return keyset_page(session, stmt, [AuditEvent.at, AuditEvent.id], params, descending=True)


@dataclass(frozen=True)
class Person:
    user_id: uuid.UUID
    name: str


def people(session: Session, actor: Actor) -> list[Person]:
    """Everyone who appears as the actor of an event the actor may read, by name."""
    readable = _readable(actor, AuditFilter()).subquery()
    stmt = (
        select(readable.c.actor_user_id, func.max(readable.c.actor_name))
        .where(readable.c.actor_user_id.is_not(None))
        .group_by(readable.c.actor_user_id)
    )
    found = [Person(user_id, name or "") for user_id, name in session.execute(stmt)]
    return sorted(found, key=lambda person: (person.name.lower(), str(person.user_id)))


def check_csv(actor: Actor, filters: AuditFilter) -> None:
    """Refuse (403, 422) before the response starts, not halfway through the stream."""
    _readable(actor, filters)


def csv_rows(sessions: SessionFactory, actor: Actor, filters: AuditFilter) -> Iterator[str]:
    """The events as CSV, newest first, read CSV_WINDOW at a time in short transactions of
    their own (so a year of events takes no more memory than a day's). Cells that a
    spreadsheet would run as a formula are neutralised (app.core.csvsafe)."""
    yield csv_row(CSV_COLUMNS)
    after: tuple[datetime, uuid.UUID] | None = None
    while True:
        stmt = _readable(actor, filters)
        if after is not None:
            stmt = stmt.where(tuple_(AuditEvent.at, AuditEvent.id) < tuple_(*after))
        stmt = stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(CSV_WINDOW)
        with sessions() as session:
            events = list(session.scalars(stmt))
            if not events:
                return
            after = (events[-1].at, events[-1].id)
            text = "".join(csv_row(_csv_values(event)) for event in events)
            session.rollback()
        yield text


def _csv_values(event: AuditEvent) -> list[str | None]:
    return [
        event.at.isoformat(),
        event.actor_name or ("" if event.actor_user_id else "system"),
        str(event.actor_user_id) if event.actor_user_id else None,
        event.action,
        event.entity,
        str(event.entity_id),
        event.summary,
    ]


def history(session: Session, entity: str, entity_id: uuid.UUID) -> list[AuditEvent]:
    """An object's events, oldest first; the caller has already checked the actor may see it."""
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return list(session.scalars(stmt))
