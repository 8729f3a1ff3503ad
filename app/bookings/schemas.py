from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, StringConstraints

from app.bookings.models import BookingStatus
from app.core.hours import ActualHours, Hours
from app.core.isoweek import IsoWeek
from app.core.types import Reason, ResponseModel, StrictModel, clean_text
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
    week_started: bool
    hours: float
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
    late_cancellation_charge: LateChargeOut | None = None
    timesheet_hours: float | None
    timesheet_note: str | None
    actual_hours: float | None
    completed_at: datetime | None
    cost: CostOut
    # Who to contact on each side: on the booking's own page, not in lists.
    contacts: ContactsOut | None = None


class HistoryEventOut(ResponseModel):
    at: datetime
    action: str
    summary: str
    actor_user_id: uuid.UUID | None


class CalendarLinkOut(ResponseModel):
    url: str
