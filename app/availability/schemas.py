from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from app.availability.models import AvailabilityStatus
from app.core.hours import Hours
from app.core.isoweek import IsoWeek
from app.core.types import Reason, ResponseModel, StrictModel
from app.officers.schemas import OfficerOut

Status = AvailabilityStatus


class WeekSet(StrictModel):
    hours: Hours
    single_booking: bool = False


class WeekPlan(StrictModel):
    from_week: IsoWeek
    weeks: Annotated[int, Field(ge=1, le=52)]
    hours: Hours
    single_booking: bool = False


class RejectBody(StrictModel):
    reason: Reason


class BulkApprove(StrictModel):
    """`ids` omitted: every pending, not yet started week sent to this manager for sign-off."""

    ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=200)] | None = None


class PermissionCreate(StrictModel):
    max_hours_per_week: Hours
    valid_from: date
    valid_until: date | None = None


class BankHolidayOut(ResponseModel):
    date: date
    name: str


class OfficerRef(ResponseModel):
    id: uuid.UUID
    display_name: str
    job_title: str


class WeekOut(ResponseModel):
    """A week of the officer's calendar; `id` and `status` are null when nothing is listed."""

    id: uuid.UUID | None
    week: str
    week_start: date
    hours: float = Field(description="Offered: approved plus pending.")
    approved_hours: float
    pending_hours: float
    booked_hours: float
    status: Status | None
    single_booking: bool
    reject_reason: str | None
    started: bool
    working_days: int
    bank_holidays: list[BankHolidayOut]


class AvailabilityOut(WeekOut):
    id: uuid.UUID
    status: Status
    officer_id: uuid.UUID
    decided_by_id: uuid.UUID | None
    decided_at: datetime | None
    updated_at: datetime


class ApprovalOut(AvailabilityOut):
    officer: OfficerRef


class SkippedOut(ResponseModel):
    id: uuid.UUID
    reason: str


class BulkApproveOut(ResponseModel):
    approved: list[ApprovalOut]
    skipped: list[SkippedOut]


class PermissionOut(ResponseModel):
    id: uuid.UUID
    officer_id: uuid.UUID
    max_hours_per_week: float
    valid_from: date
    valid_until: date | None
    created_by_id: uuid.UUID
    created_at: datetime
    ended_at: datetime | None
    active: bool


class SearchHitOut(ResponseModel):
    officer: OfficerOut
    availability_id: uuid.UUID
    week: str
    week_start: date
    available_hours: float
    rate_pence_per_hour: int
    single_booking: bool
    matched_skills: int


# --- market (issue 13): search that shows people ---------------------------------------------


class WeekFreeOut(ResponseModel):
    availability_id: uuid.UUID
    week: str
    week_start: date
    available_hours: float
    single_booking: bool


class PersonHitOut(ResponseModel):
    officer: OfficerOut
    matched_skills: int
    free_hours: float
    weeks: list[WeekFreeOut]


class PeoplePage(ResponseModel):
    items: list[PersonHitOut]
    total: int
    next_cursor: str | None = None
