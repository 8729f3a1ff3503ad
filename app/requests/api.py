"""Requests for help, offers, and the messages on requests and bookings."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.bookings.api import booking_detail
from app.core.actor import Actor
from app.core.hours import to_hours, to_minutes
from app.core.isoweek import Week
from app.core.pagination import Page, PageParams, page_params
from app.councils import service as councils
from app.councils.schemas import CouncilOut
from app.dependencies import CurrentActor, DbSession
from app.idempotency.api import Once, idempotent
from app.messages.models import Message
from app.officers import service as officers
from app.officers.api import officer_out
from app.requests import service
from app.requests.models import HelpRequest, Offer, RequestStatus, SavedSearch
from app.requests.schemas import (
    AcceptedOut,
    CloseBody,
    MessageCreate,
    MessageOut,
    OfferCostOut,
    OfferCreate,
    OfferOut,
    OfferWeekOut,
    RequestCreate,
    RequestOut,
    SavedQueryOut,
    SavedSearchCreate,
    SavedSearchOut,
)

router = APIRouter(tags=["requests"])


def request_out(
    db: Session, actor: Actor, row: HelpRequest, count: int | None = None
) -> RequestOut:
    own = actor.council_id == row.council_id
    return RequestOut(
        id=row.id,
        council=CouncilOut.model_validate(councils.get_council(db, row.council_id)),
        title=row.title,
        description=row.description,
        skills=row.skills,
        from_week=row.from_week,
        to_week=row.to_week,
        hours_per_week=to_hours(row.minutes_per_week),
        max_rate_pence=row.max_rate_pence,
        closes_on=row.closes_on,
        purchase_order=row.purchase_order if own else None,
        status=service.effective_status(row),
        created_at=row.created_at,
        offer_count=(
            count if count is not None else service.offer_counts(db, [row.id]).get(row.id, 0)
        )
        if own
        else None,
        mine=own,
    )


def offer_out(db: Session, offer: Offer) -> OfferOut:
    free = service.week_free(db, offer)
    officer = officers.load_officer(db, offer.officer_id)
    assert officer is not None
    rate, net, vat, gross = service.offer_cost(db, offer, officer)
    minutes = sum(w.minutes for w in offer.weeks)
    return OfferOut(
        id=offer.id,
        request_id=offer.request_id,
        officer=officer_out(officer),
        weeks=[
            OfferWeekOut(
                week=w.week,
                week_start=w.week_start,
                hours=to_hours(w.minutes),
                approved_hours=to_hours(max(free.get(w.week, 0), 0)),
                booking_id=w.booking_id,
            )
            for w in offer.weeks
        ],
        note=offer.note,
        status=offer.status,
        created_at=offer.created_at,
        ready=all(free.get(w.week, 0) >= w.minutes for w in offer.weeks),
        cost=OfferCostOut(
            hours=to_hours(minutes),
            rate_pence_per_hour=rate,
            net_pence=net,
            vat_pence=vat,
            gross_pence=gross,
        ),
    )


def message_out(db: Session, actor: Actor, message: Message) -> MessageOut:
    council = (
        CouncilOut.model_validate(councils.get_council(db, message.author_council_id))
        if message.author_council_id
        else None
    )
    return MessageOut(
        id=message.id,
        author_id=message.author_id,
        author_name=message.author_name,
        author_council=council,
        text=message.text,
        created_at=message.created_at,
        mine=message.author_id == actor.user_id,
    )


@router.post("/requests", response_model=RequestOut, status_code=201)
def post_request(
    body: RequestCreate,
    actor: CurrentActor,
    db: DbSession,
    once: Annotated[Once, Depends(idempotent("requests.create"))],
) -> Response:
    if once.replay is not None:
        return once.replay
    new = service.NewRequest(
        title=body.title,
        description=body.description,
        skills=body.skills,
        from_week=Week(body.from_week),
        to_week=Week(body.to_week),
        minutes_per_week=to_minutes(body.hours_per_week),
        max_rate_pence=body.max_rate_pence,
        closes_on=body.closes_on,
        purchase_order=body.purchase_order,
    )
    return once.respond(request_out(db, actor, service.post_request(db, actor, new)), 201)


@router.get("/requests", response_model=Page[RequestOut])
def list_requests(
    actor: CurrentActor,
    db: DbSession,
    paging: Annotated[PageParams, Depends(page_params)],
    status: Annotated[RequestStatus | None, Query()] = None,
    council: Annotated[Literal["mine", "any"], Query()] = "any",
) -> Page[RequestOut]:
    rows, cursor = service.list_requests(db, actor, status, council == "mine", paging)
    counts = service.offer_counts(db, [r.id for r in rows if r.council_id == actor.council_id])
    items = [request_out(db, actor, r, counts.get(r.id, 0)) for r in rows]
    return Page[RequestOut](items=items, next_cursor=cursor)


@router.get("/requests/{request_id}", response_model=RequestOut)
def get_request(request_id: uuid.UUID, actor: CurrentActor, db: DbSession) -> RequestOut:
    return request_out(db, actor, service.get_request(db, actor, request_id))


@router.post(
    "/requests/{request_id}/close",
    response_model=RequestOut,
    responses={409: {"description": "Already filled or closed"}},
)
def close_request(
    request_id: uuid.UUID,
    actor: CurrentActor,
    db: DbSession,
    body: Annotated[CloseBody | None, Body()] = None,
) -> RequestOut:
    filled = body.filled if body else False
    return request_out(db, actor, service.close_request(db, actor, request_id, filled))


@router.post(
    "/requests/{request_id}/offers",
    response_model=OfferOut,
    status_code=201,
    responses={409: {"description": "Closed, already offered, or the officer is not listed"}},
)
def make_offer(
    request_id: uuid.UUID, body: OfferCreate, actor: CurrentActor, db: DbSession
) -> OfferOut:
    weeks = [service.OfferedWeek(Week(w.week), to_minutes(w.hours)) for w in body.weeks]
    return offer_out(db, service.make_offer(db, actor, request_id, weeks, body.note))


@router.get("/requests/{request_id}/offers", response_model=Page[OfferOut])
def list_offers(
    request_id: uuid.UUID,
    actor: CurrentActor,
    db: DbSession,
    paging: Annotated[PageParams, Depends(page_params)],
) -> Page[OfferOut]:
    rows, cursor = service.list_offers(db, actor, request_id, paging)
    return Page[OfferOut](items=[offer_out(db, o) for o in rows], next_cursor=cursor)


@router.post(
    "/offers/{offer_id}/accept",
    response_model=AcceptedOut,
    status_code=201,
    responses={409: {"description": "Accepted or withdrawn already, or hours not approved"}},
)
def accept_offer(
    offer_id: uuid.UUID,
    actor: CurrentActor,
    db: DbSession,
    once: Annotated[Once, Depends(idempotent("offers.accept"))],
) -> Response:
    if once.replay is not None:
        return once.replay
    made = service.accept_offer(db, actor, offer_id)
    offer = service.load_offer(db, offer_id)
    accepted = AcceptedOut(
        offer=offer_out(db, offer), bookings=[booking_detail(db, b) for b in made]
    )
    return once.respond(accepted, 201)


@router.post(
    "/offers/{offer_id}/withdraw",
    response_model=OfferOut,
    responses={409: {"description": "Accepted, withdrawn or lapsed already"}},
)
def withdraw_offer(offer_id: uuid.UUID, actor: CurrentActor, db: DbSession) -> OfferOut:
    return offer_out(db, service.withdraw_offer(db, actor, offer_id))


# --- messages ----------------------------------------------------------------------------


@router.get("/requests/{request_id}/messages", response_model=Page[MessageOut], tags=["messages"])
def request_messages(
    request_id: uuid.UUID,
    actor: CurrentActor,
    db: DbSession,
    paging: Annotated[PageParams, Depends(page_params)],
) -> Page[MessageOut]:
    rows, cursor = service.list_request_messages(db, actor, request_id, paging)
    return Page[MessageOut](items=[message_out(db, actor, m) for m in rows], next_cursor=cursor)


@router.post(
    "/requests/{request_id}/messages", response_model=MessageOut, status_code=201, tags=["messages"]
)
def post_request_message(
    request_id: uuid.UUID, body: MessageCreate, actor: CurrentActor, db: DbSession
) -> MessageOut:
    return message_out(db, actor, service.post_request_message(db, actor, request_id, body.text))


@router.get("/bookings/{booking_id}/messages", response_model=Page[MessageOut], tags=["messages"])
def booking_messages(
    booking_id: uuid.UUID,
    actor: CurrentActor,
    db: DbSession,
    paging: Annotated[PageParams, Depends(page_params)],
) -> Page[MessageOut]:
    rows, cursor = service.list_booking_messages(db, actor, booking_id, paging)
    return Page[MessageOut](items=[message_out(db, actor, m) for m in rows], next_cursor=cursor)


@router.post(
    "/bookings/{booking_id}/messages", response_model=MessageOut, status_code=201, tags=["messages"]
)
def post_booking_message(
    booking_id: uuid.UUID, body: MessageCreate, actor: CurrentActor, db: DbSession
) -> MessageOut:
    return message_out(db, actor, service.post_booking_message(db, actor, booking_id, body.text))


# --- saved searches ----------------------------------------------------------------------


def saved_out(saved: SavedSearch) -> SavedSearchOut:
    query = service.SavedQuery.of(saved.query)
    return SavedSearchOut(
        id=saved.id,
        name=saved.name,
        query=SavedQueryOut(
            skill=list(query.skills),
            min_hours=to_hours(query.min_minutes) if query.min_minutes > 15 else None,
            nation=query.nation,
            region=query.region,
            max_rate_pence=query.max_rate_pence,
            q=query.q,
        ),
        created_at=saved.created_at,
        find_path="/find?" + service.find_query(saved),
    )


@router.post(
    "/saved-searches",
    response_model=SavedSearchOut,
    status_code=201,
    tags=["search"],
    responses={409: {"description": "Too many saved searches"}},
)
def save_search(body: SavedSearchCreate, actor: CurrentActor, db: DbSession) -> SavedSearchOut:
    q = body.query
    query = service.SavedQuery(
        skills=tuple(q.skill),
        min_minutes=to_minutes(q.min_hours) if q.min_hours else 15,
        nation=q.nation,
        region=q.region,
        max_rate_pence=q.max_rate_pence,
        q=q.q,
    )
    return saved_out(service.save_search(db, actor, body.name, query))


@router.get("/saved-searches", response_model=Page[SavedSearchOut], tags=["search"])
def list_saved(
    actor: CurrentActor, db: DbSession, paging: Annotated[PageParams, Depends(page_params)]
) -> Page[SavedSearchOut]:
    rows, cursor = service.list_saved(db, actor, paging)
    return Page[SavedSearchOut](items=[saved_out(s) for s in rows], next_cursor=cursor)


@router.delete("/saved-searches/{saved_id}", status_code=204, tags=["search"])
def delete_saved(saved_id: uuid.UUID, actor: CurrentActor, db: DbSession) -> Response:
    service.delete_saved(db, actor, saved_id)
    return Response(status_code=204)
