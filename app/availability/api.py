from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Response
from pydantic import TypeAdapter
from starlette.convertors import StringConvertor, register_url_convertor

from app.availability import search, service, summary
from app.availability.models import StandingPermission
from app.availability.schemas import (
    ApprovalOut,
    AvailabilityOut,
    BulkApprove,
    BulkApproveOut,
    OfficerRef,
    PeoplePage,
    PermissionCreate,
    PermissionOut,
    RejectBody,
    SearchHitOut,
    SkippedOut,
    Status,
    WeekOut,
    WeekPlan,
    WeekSet,
)
from app.core.hours import QueryHours, to_hours, to_minutes
from app.core.isoweek import IsoWeek, Week, monday_of
from app.core.pagination import Page, PageParams, page_params
from app.core.types import RequiredShortText, ShortText
from app.councils.schemas import Nation
from app.dependencies import CurrentActor, DbSession
from app.officers.schemas import SkillSlug

router = APIRouter(tags=["availability"])
Paging = Annotated[PageParams, Depends(page_params)]


class _WeekSegment(StringConvertor):
    """A week's path segment: any segment but `plan`, so /officers/me/availability/plan is the
    planner alone (PUT or DELETE there answer 405, not a 422 about the week). Everything else
    reaches the IsoWeek validation and a bad week answers 422."""

    regex = r"(?!plan$)[^/]+"


register_url_convertor("week_segment", _WeekSegment())
MY_WEEK = "/officers/me/availability/{week:week_segment}"


def _week_fields(view: service.WeekView) -> dict[str, Any]:
    row = view.row
    return {
        "id": row.id if row else None,
        "week": str(view.week),
        "week_start": view.week.monday,
        "hours": to_hours(row.offered_minutes) if row else 0.0,
        "approved_hours": to_hours(row.approved_minutes) if row else 0.0,
        "pending_hours": to_hours(row.pending_minutes) if row else 0.0,
        "booked_hours": to_hours(row.booked_minutes) if row else 0.0,
        "status": row.status if row else None,
        "single_booking": row.single_booking if row else False,
        "reject_reason": row.reject_reason if row else None,
        "started": view.started,
        "working_days": view.working_days,
        "bank_holidays": [{"date": day, "name": name} for day, name in view.bank_holidays],
    }


def week_out(view: service.WeekView) -> WeekOut:
    return WeekOut.model_validate(_week_fields(view))


def _row_fields(view: service.WeekView) -> dict[str, Any]:
    assert view.row is not None
    return {
        **_week_fields(view),
        "officer_id": view.row.officer_id,
        "decided_by_id": view.row.decided_by_id,
        "decided_at": view.row.decided_at,
        "updated_at": view.row.updated_at,
    }


def availability_out(view: service.WeekView) -> AvailabilityOut:
    return AvailabilityOut.model_validate(_row_fields(view))


def approval_out(view: service.WeekView) -> ApprovalOut:
    return ApprovalOut.model_validate(
        {**_row_fields(view), "officer": OfficerRef.model_validate(view.officer)}
    )


def permission_out(permission: StandingPermission) -> PermissionOut:
    return PermissionOut(
        id=permission.id,
        officer_id=permission.officer_id,
        max_hours_per_week=to_hours(permission.max_minutes_per_week),
        valid_from=permission.valid_from,
        valid_until=permission.valid_until,
        created_by_id=permission.created_by_id,
        created_at=permission.created_at,
        ended_at=permission.ended_at,
        active=service.permission_active(permission),
    )


# --- the officer's weeks --------------------------------------------------------------------


@router.get("/officers/me/availability", response_model=Page[WeekOut])
def my_availability(
    actor: CurrentActor,
    db: DbSession,
    from_week: Annotated[IsoWeek | None, Query(alias="from")] = None,
    to_week: Annotated[IsoWeek | None, Query(alias="to")] = None,
) -> Page[WeekOut]:
    """Every week from `from` (default: this week) to `to` (default: 11 weeks later, at most
    106 weeks in all), listed or not, with working days and bank holidays of the officer's
    nation. Weeks not listed have `id` and `status` null."""
    views = service.my_weeks(db, actor, from_week, to_week)
    return Page[WeekOut](items=[week_out(v) for v in views])


@router.put(
    MY_WEEK,
    response_model=AvailabilityOut,
    responses={409: {"description": "No consent yet, or below the hours booked"}},
)
def set_week(week: IsoWeek, body: WeekSet, actor: CurrentActor, db: DbSession) -> AvailabilityOut:
    view = service.set_week(db, actor, week, to_minutes(body.hours), body.single_booking)
    return availability_out(view)


@router.delete(MY_WEEK, response_model=AvailabilityOut)
def withdraw_week(week: IsoWeek, actor: CurrentActor, db: DbSession) -> AvailabilityOut:
    """Withdraws the unbooked part; the week stays `approved` for its booked hours, if any."""
    return availability_out(service.withdraw_week(db, actor, week))


@router.post(
    "/officers/me/availability/plan",
    response_model=Page[AvailabilityOut],
    responses={409: {"description": "No consent yet, or below the hours booked"}},
)
def plan_weeks(body: WeekPlan, actor: CurrentActor, db: DbSession) -> Page[AvailabilityOut]:
    """The same hours for a run of weeks, all or nothing; a run starting in a week that has
    started is refused (422)."""
    views = service.plan_weeks(
        db, actor, body.from_week, body.weeks, to_minutes(body.hours), body.single_booking
    )
    return Page[AvailabilityOut](items=[availability_out(v) for v in views])


@router.get("/availability/{availability_id}", response_model=ApprovalOut)
def get_availability(availability_id: uuid.UUID, actor: CurrentActor, db: DbSession) -> ApprovalOut:
    return approval_out(service.get_availability(db, actor, availability_id))


# --- sign-off -------------------------------------------------------------------------------


@router.post(
    "/availability/{availability_id}/approve",
    response_model=ApprovalOut,
    responses={409: {"description": "Not waiting for sign-off"}},
)
def approve(availability_id: uuid.UUID, actor: CurrentActor, db: DbSession) -> ApprovalOut:
    return approval_out(service.approve(db, actor, availability_id))


@router.post(
    "/availability/{availability_id}/reject",
    response_model=ApprovalOut,
    responses={409: {"description": "Not waiting for sign-off"}},
)
def reject(
    availability_id: uuid.UUID, body: RejectBody, actor: CurrentActor, db: DbSession
) -> ApprovalOut:
    return approval_out(service.reject(db, actor, availability_id, body.reason))


@router.get("/approvals", response_model=Page[ApprovalOut])
def list_approvals(
    actor: CurrentActor,
    db: DbSession,
    paging: Paging,
    status: Status = Status.pending,
    officer_id: uuid.UUID | None = None,
) -> Page[ApprovalOut]:
    """The manager's council's weeks in `status`, earliest week first."""
    views, cursor = service.list_approvals(db, actor, status, officer_id, paging)
    return Page[ApprovalOut](items=[approval_out(v) for v in views], next_cursor=cursor)


@router.post("/approvals/approve", response_model=BulkApproveOut)
def bulk_approve(
    actor: CurrentActor,
    db: DbSession,
    body: Annotated[BulkApprove | None, Body()] = None,
) -> BulkApproveOut:
    """Approves the listed pending weeks the manager may decide and lists the rest under
    `skipped` with the reason. Without `ids`: every pending week not yet started of the
    officers whose line manager is the caller, or who have none."""
    approved, skipped = service.bulk_approve(db, actor, body.ids if body else None)
    return BulkApproveOut(
        approved=[approval_out(v) for v in approved],
        skipped=[SkippedOut(id=s.id, reason=s.reason) for s in skipped],
    )


# --- standing permissions -------------------------------------------------------------------


@router.post("/officers/{officer_id}/permissions", response_model=PermissionOut, status_code=201)
def create_permission(
    officer_id: uuid.UUID, body: PermissionCreate, actor: CurrentActor, db: DbSession
) -> PermissionOut:
    """A standing sign-off: approves at once every week wholly inside the dates whose offer is
    at most `max_hours_per_week`, including the weeks already waiting."""
    permission = service.create_permission(
        db,
        actor,
        officer_id,
        to_minutes(body.max_hours_per_week),
        body.valid_from,
        body.valid_until,
    )
    return permission_out(permission)


@router.get("/officers/{officer_id}/permissions", response_model=Page[PermissionOut])
def list_permissions(
    officer_id: uuid.UUID, actor: CurrentActor, db: DbSession, paging: Paging
) -> Page[PermissionOut]:
    rows, cursor = service.list_permissions(db, actor, officer_id, paging)
    return Page[PermissionOut](items=[permission_out(r) for r in rows], next_cursor=cursor)


@router.delete("/permissions/{permission_id}", status_code=204)
def end_permission(permission_id: uuid.UUID, actor: CurrentActor, db: DbSession) -> Response:
    """Ends the permission; hours it approved stay approved."""
    service.end_permission(db, actor, permission_id)
    return Response(status_code=204)


@router.get("/search/officers", response_model=Page[SearchHitOut], tags=["search"])
def search_officers(
    actor: CurrentActor,
    db: DbSession,
    paging: Annotated[PageParams, Depends(page_params)],
    skill: Annotated[list[SkillSlug] | None, Query(max_length=10)] = None,
    week: Annotated[IsoWeek | None, Query()] = None,
    to: Annotated[IsoWeek | None, Query()] = None,
    min_hours: Annotated[QueryHours | None, Query()] = None,
    nation: Annotated[Nation | None, Query()] = None,
    region: Annotated[RequiredShortText | None, Query()] = None,
    max_rate_pence: Annotated[int | None, Query(ge=0, le=100_000)] = None,
    q: Annotated[ShortText | None, Query()] = None,
) -> Response:
    """Officers of other councils with approved, unbooked hours, best match first."""
    filters = search.SearchFilters(
        skills=skill or [],
        week=week,
        to_week=to,
        min_minutes=to_minutes(min_hours) if min_hours else 15,
        nation=nation,
        region=region,
        max_rate_pence=max_rate_pence,
        q=q,
    )
    hits, cursor = search.search(db, actor, filters, paging)
    return search_page(hits, cursor)


@dataclass(frozen=True, slots=True)
class _HitWritten:
    """A `SearchHitOut` as written: the service's hit with its week's Monday and its hours.
    Its values come from typed columns, so pydantic writes them without validating them again
    into models, which took four times as long as writing the page (50 results)."""

    officer: search.OfficerCard
    availability_id: uuid.UUID
    week: str
    week_start: date
    available_hours: float
    rate_pence_per_hour: int
    single_booking: bool
    matched_skills: int


@dataclass(frozen=True, slots=True)
class _HitsWritten:
    """`Page[SearchHitOut]`, as written."""

    items: list[_HitWritten]
    next_cursor: str | None


_WRITE_HITS = TypeAdapter(_HitsWritten)


def search_page(hits: list[search.SearchHit], cursor: str | None) -> Response:
    """The page as `Page[SearchHitOut]` JSON (tests hold the two to the same shape)."""
    items = [
        _HitWritten(
            hit.officer,
            hit.availability_id,
            hit.week,
            monday_of(hit.week),
            to_hours(hit.available_minutes),
            hit.rate_pence_per_hour,
            hit.single_booking,
            hit.matched_skills,
        )
        for hit in hits
    ]
    body = _WRITE_HITS.dump_json(_HitsWritten(items, cursor))
    return Response(body, media_type="application/json")


@router.get("/search/people", response_model=PeoplePage, tags=["search"])
def search_people(
    actor: CurrentActor,
    db: DbSession,
    paging: Annotated[PageParams, Depends(page_params)],
    skill: Annotated[list[SkillSlug] | None, Query(max_length=10)] = None,
    from_week: Annotated[IsoWeek | None, Query(alias="from")] = None,
    to: Annotated[IsoWeek | None, Query()] = None,
    min_hours: Annotated[QueryHours | None, Query()] = None,
    nation: Annotated[Nation | None, Query()] = None,
    region: Annotated[RequiredShortText | None, Query()] = None,
    max_rate_pence: Annotated[int | None, Query(ge=0, le=100_000)] = None,
    q: Annotated[ShortText | None, Query()] = None,
) -> Response:
    """One result per officer of another council, with their free weeks in date order: best
    match first, then most free hours in the range (by default the next 12 weeks); `total` is
    how many officers match."""
    filters = search.SearchFilters(
        skills=skill or [],
        week=from_week,
        to_week=to or (Week(from_week).plus(summary.DEFAULT_WEEKS_AHEAD) if from_week else None),
        min_minutes=to_minutes(min_hours) if min_hours else 15,
        nation=nation,
        region=region,
        max_rate_pence=max_rate_pence,
        q=q,
    )
    hits, total, cursor = search.search_people(db, actor, filters, paging)
    return people_page(hits, total, cursor)


@dataclass(frozen=True, slots=True)
class _WeekWritten:
    """A `WeekFreeOut` as written (see `_HitWritten`)."""

    availability_id: uuid.UUID
    week: str
    week_start: date
    available_hours: float
    single_booking: bool


@dataclass(frozen=True, slots=True)
class _PersonWritten:
    """A `PersonHitOut` as written (see `_HitWritten`)."""

    officer: search.OfficerCard
    matched_skills: int
    free_hours: float
    weeks: list[_WeekWritten]


@dataclass(frozen=True, slots=True)
class _PeopleWritten:
    """A `PeoplePage`, as written."""

    items: list[_PersonWritten]
    total: int
    next_cursor: str | None


_WRITE_PEOPLE = TypeAdapter(_PeopleWritten)


def people_page(hits: list[search.PersonHit], total: int, cursor: str | None) -> Response:
    """The page as `PeoplePage` JSON (tests hold the two to the same shape)."""
    items = [
        _PersonWritten(
            hit.officer,
            hit.matched_skills,
            to_hours(hit.free_minutes),
            [
                _WeekWritten(
                    w.availability_id,
                    w.week,
                    monday_of(w.week),
                    to_hours(w.available_minutes),
                    w.single_booking,
                )
                for w in hit.weeks
            ],
        )
        for hit in hits
    ]
    body = _WRITE_PEOPLE.dump_json(_PeopleWritten(items, total, cursor))
    return Response(body, media_type="application/json")
