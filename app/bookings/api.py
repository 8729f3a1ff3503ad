from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query
from fastapi.responses import Response
from sqlalchemy import inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.bookings import service
from app.bookings.models import Booking
from app.bookings.schemas import (
    BookingCreate,
    BookingOut,
    CalendarLinkOut,
    CompleteBody,
    ContactOut,
    ContactsOut,
    HistoryEventOut,
    ReasonBody,
    Status,
    TimesheetBody,
)
from app.config import get_settings
from app.core.hours import to_minutes
from app.core.pagination import Page, PageParams, page_params
from app.councils import service as councils
from app.dependencies import CurrentActor, DbSession
from app.idempotency.api import Once, idempotent
from app.officers import service as officers

router = APIRouter(tags=["bookings"])

_COUNCILS = frozenset({"lending_council", "booking_council"})


def _with_councils(db: Session, bookings: Sequence[Booking]) -> None:
    """Both councils of each booking (the lending one with its settings, for the cost), read
    in one statement and set on the bookings, whose relationships never load lazily. (Here
    rather than in `service.readable_bookings`'s options so that the statements the service
    shares with its other callers stay as they are.) A booking that has them already (a new
    one: the service set those it read) is left as it is."""
    bookings = [b for b in bookings if _COUNCILS & inspect(b).unloaded]
    wanted = {b.lending_council_id for b in bookings} | {b.booking_council_id for b in bookings}
    if not wanted:
        return
    found = councils.load_councils(db, wanted, with_settings=True)
    for booking in bookings:
        set_committed_value(booking, "lending_council", found[booking.lending_council_id])
        set_committed_value(booking, "booking_council", found[booking.booking_council_id])


def bookings_out(db: Session, bookings: Sequence[Booking]) -> list[BookingOut]:
    """Bookings as the service loaded them (with their officers), validated from the ORM
    objects once their councils are in hand."""
    _with_councils(db, bookings)
    return [BookingOut.model_validate(booking) for booking in bookings]


def booking_out(db: Session, booking: Booking) -> BookingOut:
    [out] = bookings_out(db, [booking])
    return out


def booking_detail(db: Session, booking: Booking) -> BookingOut:
    """A booking on its own: with who to contact on each side."""
    out = booking_out(db, booking)
    sides = service.contacts(db, booking)
    out.contacts = ContactsOut(
        booking=[ContactOut.model_validate(c) for c in sides["booking"]],
        lending=[ContactOut.model_validate(c) for c in sides["lending"]],
    )
    return out


@router.post(
    "/bookings",
    response_model=BookingOut,
    status_code=201,
    responses={409: {"description": "Not enough approved hours, or no agreement"}},
)
def create_booking(
    body: BookingCreate,
    actor: CurrentActor,
    db: DbSession,
    once: Annotated[Once, Depends(idempotent("bookings.create"))],
) -> Response:
    if once.replay is not None:
        return once.replay
    booking = service.request_booking(
        db,
        actor,
        body.officer_id,
        body.week,
        to_minutes(body.hours),
        body.purpose,
        body.purchase_order,
    )
    return once.respond(booking_detail(db, booking), 201)


@router.get("/bookings", response_model=Page[BookingOut])
def list_bookings(
    actor: CurrentActor,
    db: DbSession,
    paging: Annotated[PageParams, Depends(page_params)],
    side: Annotated[service.Side, Query()] = "mine",
    status: Annotated[Status | None, Query()] = None,
) -> Page[BookingOut]:
    rows, cursor = service.list_bookings(db, actor, side, status, paging)
    return Page[BookingOut](items=bookings_out(db, rows), next_cursor=cursor)


@router.get("/bookings/{booking_id}", response_model=BookingOut)
def get_booking(booking_id: uuid.UUID, actor: CurrentActor, db: DbSession) -> BookingOut:
    return booking_detail(db, service.get_booking(db, actor, booking_id))


@router.get("/bookings/{booking_id}/history", response_model=list[HistoryEventOut])
def booking_history(
    booking_id: uuid.UUID, actor: CurrentActor, db: DbSession
) -> list[HistoryEventOut]:
    return [HistoryEventOut.model_validate(e) for e in service.history(db, actor, booking_id)]


@router.post(
    "/bookings/{booking_id}/confirm",
    response_model=BookingOut,
    responses={409: {"description": "Not awaiting an answer"}},
)
def confirm(booking_id: uuid.UUID, actor: CurrentActor, db: DbSession) -> BookingOut:
    return booking_detail(db, service.confirm(db, actor, booking_id))


@router.post(
    "/bookings/{booking_id}/decline",
    response_model=BookingOut,
    responses={409: {"description": "Not awaiting an answer"}},
)
def decline(
    booking_id: uuid.UUID, body: ReasonBody, actor: CurrentActor, db: DbSession
) -> BookingOut:
    return booking_detail(db, service.decline(db, actor, booking_id, body.reason))


@router.post(
    "/bookings/{booking_id}/cancel",
    response_model=BookingOut,
    responses={409: {"description": "Already ended, or the week has started"}},
)
def cancel(
    booking_id: uuid.UUID, body: ReasonBody, actor: CurrentActor, db: DbSession
) -> BookingOut:
    return booking_detail(db, service.cancel(db, actor, booking_id, body.reason))


@router.post(
    "/bookings/{booking_id}/timesheet",
    response_model=BookingOut,
    responses={409: {"description": "Not confirmed, or the week has not started"}},
)
def timesheet(
    booking_id: uuid.UUID, body: TimesheetBody, actor: CurrentActor, db: DbSession
) -> BookingOut:
    minutes = to_minutes(body.actual_hours)
    return booking_detail(db, service.submit_timesheet(db, actor, booking_id, minutes, body.note))


@router.post(
    "/bookings/{booking_id}/complete",
    response_model=BookingOut,
    responses={409: {"description": "Not confirmed, or the week has not started"}},
)
def complete(
    booking_id: uuid.UUID,
    actor: CurrentActor,
    db: DbSession,
    body: Annotated[CompleteBody | None, Body()] = None,
) -> BookingOut:
    hours = body.actual_hours if body else None
    minutes = None if hours is None else to_minutes(hours)
    return booking_detail(db, service.complete(db, actor, booking_id, minutes))


@router.post("/officers/me/calendar", response_model=CalendarLinkOut)
def rotate_calendar(actor: CurrentActor, db: DbSession) -> CalendarLinkOut:
    """A new secret calendar address (the old one stops working)."""
    token = officers.rotate_calendar_token(db, actor)
    return CalendarLinkOut(url=f"{get_settings().public_url}/api/v1/calendar/{token}.ics")


@router.get(
    "/calendar/{feed_token}.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}},
)
def calendar_feed(
    feed_token: Annotated[str, Path(max_length=100, pattern=r"^[A-Za-z0-9_-]+$")],
    db: DbSession,
) -> Response:
    body = service.officer_calendar(db, feed_token, get_settings().public_url)
    return Response(body, media_type="text/calendar; charset=utf-8")
