from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, PlainValidator, StringConstraints, WithJsonSchema

from app.core.isoweek import IsoWeek
from app.core.types import ResponseModel, StrictModel, clean_text
from app.officers.schemas import OfficerOut

MAX_HOURS_PER_WEEK = 60

Status = Literal["pending", "approved", "rejected", "withdrawn"]


def _hours(value: Any) -> Decimal:
    """A JSON number of hours, checked exactly (no float drift): 0 < hours <= 60, quarter hours."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError("must be a number of hours")
    try:
        hours = Decimal(str(value))
    except InvalidOperation:
        raise ValueError("must be a number of hours") from None
    if not hours.is_finite() or hours <= 0 or hours > MAX_HOURS_PER_WEEK:
        raise ValueError(f"must be more than 0 and at most {MAX_HOURS_PER_WEEK} hours")
    if (hours * 4) % 1 != 0:
        raise ValueError("must be in quarter hours (a multiple of 0.25)")
    return hours


Hours = Annotated[
    Decimal,
    PlainValidator(_hours),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": MAX_HOURS_PER_WEEK,
                    "multipleOf": 0.25, "examples": [7.5]}),
]


def _query_hours(value: Any) -> Decimal:
    """The same rule for a query string, where numbers arrive as text (`?min_hours=2.5`)."""
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError("must be a number of hours") from None
    return _hours(value)


QueryHours = Annotated[
    Decimal,
    PlainValidator(_query_hours),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": MAX_HOURS_PER_WEEK,
                    "multipleOf": 0.25, "examples": [2.5]}),
]


def to_minutes(hours: Decimal | int) -> int:
    """Whole minutes from validated hours (exact: quarter hours are multiples of 15 minutes)."""
    return int(hours * 60)


def to_hours(minutes: int) -> float:
    """Minutes (multiples of 15) as hours; exact, since quarters are binary fractions."""
    return minutes / 60


Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(clean_text),
]


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
