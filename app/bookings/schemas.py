from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AliasPath,
    BeforeValidator,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from app.bookings.models import BookingStatus
from app.core import clock, money
from app.core.hours import ActualHours, Hours, to_hours
from app.core.isoweek import IsoWeek
from app.core.types import Reason, ResponseModel, StrictModel, clean_text
from app.councils.models import Council
from app.councils.schemas import CouncilOut

Status = BookingStatus
PurchaseOrder = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=60, pattern=r"^[A-Za-z0-9 ./_#-]*$"),
]
Purpose = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=1000),
    AfterValidator(clean_text),
]
Note = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=1000), AfterValidator(clean_text)
]


class BookingCreate(StrictModel):
    officer_id: uuid.UUID
    week: IsoWeek
    hours: Hours
    purpose: Purpose
    purchase_order: PurchaseOrder | None = None


class ReasonBody(StrictModel):
    reason: Reason


class TimesheetBody(StrictModel):
    actual_hours: ActualHours
    note: Note | None = None


class CompleteBody(StrictModel):
    actual_hours: ActualHours | None = None


class OfficerBrief(ResponseModel):
    id: uuid.UUID
    display_name: str
    job_title: str


class LateChargeOut(ResponseModel):
    """What a late cancellation costs the booking council: its own line on the lending
    council's next recharge run."""

    percent: int
    hours: float
    net_pence: int


class CostOut(ResponseModel):
    """Hours x rate, VAT by the lending council's treatment, gross. From the hours worked once
    they are recorded, the hours booked until then."""

    hours: float
    rate_pence_per_hour: int
    net_pence: int
    vat_treatment: str
    vat_rate_bps: int
    vat_pence: int
    gross_pence: int


class ContactOut(ResponseModel):
    name: str
    email: str
    role: Literal["booker", "officer", "manager"]


class ContactsOut(ResponseModel):
    booking: list[ContactOut]
    lending: list[ContactOut]


def _hours(minutes: int | None) -> float | None:
    return None if minutes is None else to_hours(minutes)


def _started(week_start: date) -> bool:
    return clock.today() >= week_start


# Hours read from a minutes attribute of the ORM object (fields name the attribute they read).
HoursOf = Annotated[float, BeforeValidator(_hours)]
OptionalHoursOf = Annotated[float | None, BeforeValidator(_hours)]


# Validated from a `Booking` loaded with its officer and both councils (the lending council
# with its settings, for the cost); the contacts are added on the booking's own page. Fields
# derived from stored ones name the attribute they read (`validation_alias`), and the stored
# values they need but do not show are excluded from the output (and the API document).
# Comments, not a docstring: that would change the API document.
class BookingOut(ResponseModel):
    id: uuid.UUID
    reference: str
    status: Status
    officer: OfficerBrief
    lending_council: CouncilOut
    booking_council: CouncilOut
    booker_id: uuid.UUID
    week: str
    week_start: date
    # By the server's clock (TP_TODAY): timesheets and completion need a started week.
    week_started: Annotated[bool, BeforeValidator(_started)] = Field(
        validation_alias=AliasPath("week_start")
    )
    hours: HoursOf = Field(validation_alias=AliasPath("minutes"))
    rate_pence_per_hour: int
    purpose: str
    purchase_order: str | None
    requested_at: datetime
    expires_at: datetime
    decided_at: datetime | None
    decline_reason: str | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    late_cancellation: bool
    # Read, not shown: what the late charge and the cost are made from.
    minutes: int = Field(exclude=True)
    actual_minutes: int | None = Field(exclude=True)
    late_charge_minutes: int | None = Field(exclude=True)
    late_charge_percent: int | None = Field(exclude=True)
    late_cancellation_charge: LateChargeOut | None = Field(
        default=None, validation_alias=AliasPath("late_charge_minutes")
    )
    timesheet_hours: OptionalHoursOf = Field(validation_alias=AliasPath("timesheet_minutes"))
    timesheet_note: str | None
    actual_hours: OptionalHoursOf = Field(validation_alias=AliasPath("actual_minutes"))
    completed_at: datetime | None
    cost: CostOut = Field(validation_alias=AliasPath("lending_council"))
    # Who to contact on each side: on the booking's own page, not in lists.
    contacts: ContactsOut | None = None

    @field_validator("late_cancellation_charge", mode="before")
    @classmethod
    def _late_charge(cls, minutes: int | None, info: ValidationInfo) -> LateChargeOut | None:
        percent = info.data.get("late_charge_percent")
        if not minutes or percent is None:
            return None
        rate = info.data["rate_pence_per_hour"]
        return LateChargeOut(
            percent=percent,
            hours=to_hours(minutes),
            net_pence=money.line_amount_pence(minutes, rate),
        )

    @field_validator("cost", mode="before")
    @classmethod
    def _cost(cls, lending_council: Council, info: ValidationInfo) -> CostOut:
        """Hours x rate (rounded once, as an invoice line is), VAT by the lending council's
        treatment; from the hours worked once recorded, the hours booked until then."""
        actual = info.data["actual_minutes"]
        minutes = info.data["minutes"] if actual is None else actual
        rate = info.data["rate_pence_per_hour"]
        settings = lending_council.settings
        net = money.line_amount_pence(minutes, rate)
        vat = money.vat_pence(net, settings.charged_vat_rate_bps)
        return CostOut(
            hours=to_hours(minutes),
            rate_pence_per_hour=rate,
            net_pence=net,
            vat_treatment=settings.vat_treatment,
            vat_rate_bps=settings.charged_vat_rate_bps,
            vat_pence=vat,
            gross_pence=net + vat,
        )


class HistoryEventOut(ResponseModel):
    at: datetime
    action: str
    summary: str
    actor_user_id: uuid.UUID | None


class CalendarLinkOut(ResponseModel):
    url: str
