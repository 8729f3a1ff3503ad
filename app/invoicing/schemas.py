from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StrictInt, StringConstraints

from app.core.types import ResponseModel, StrictModel, clean_text
from app.councils.schemas import CouncilOut
from app.invoicing.models import InvoiceStatus

Period = Annotated[str, StringConstraints(pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])$")]
Reference = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(clean_text),
]
Reason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(clean_text),
]


class RunCreate(StrictModel):
    period: Period


# Validated from a stored `InvoiceLine` (comments, not docstrings: those would change the API
# document).
class InvoiceLineOut(ResponseModel):
    booking_id: uuid.UUID
    officer: str = Field(validation_alias="officer_name")
    officer_id: uuid.UUID
    week: str
    purchase_order: str | None
    minutes: int
    rate_pence_per_hour: int
    amount_pence: int
    # "time" (hours worked) or "late_cancellation" (charge_percent of the booked hours).
    kind: str = "time"
    # What the line's documents print (the reference stored with the line).
    booking_reference: str | None = Field(
        default=None, validation_alias="printed_booking_reference"
    )
    purpose: str | None = None
    charge_percent: int | None = None


class CreditNoteOut(ResponseModel):
    id: uuid.UUID
    number: str
    reason: str
    net_pence: int
    vat_pence: int
    gross_pence: int
    issue_date: date


# Validated from an `Invoice` loaded with `service.INVOICE_VIEW` (lines and councils); its
# credit notes are added on the views of one invoice.
class InvoiceOut(ResponseModel):
    id: uuid.UUID
    number: str | None
    status: InvoiceStatus
    issuer: CouncilOut
    customer: CouncilOut
    period: str
    # The one purchase order this invoice answers (None: bookings without one).
    purchase_order: str | None = None
    lines: list[InvoiceLineOut]
    vat_category: str
    vat_rate_bps: int
    vat_reason: str | None
    net_pence: int
    vat_pence: int
    gross_pence: int
    credited_gross_pence: int
    issue_date: date | None
    issued_at: datetime | None
    due_date: date | None
    paid_on: date | None
    payment_reference: str | None
    # Both councils' names, addresses and VAT numbers as printed on the issued invoice.
    parties: dict[str, Any] | None = None
    credit_notes: list[CreditNoteOut] = Field(default_factory=list)


class RunOut(ResponseModel):
    invoices: list[InvoiceOut]


class CreditLine(StrictModel):
    booking_id: uuid.UUID
    minutes: Annotated[StrictInt, Field(gt=0, le=3600)]


class CreditCreate(StrictModel):
    lines: Annotated[list[CreditLine], Field(max_length=1000)] = Field(default_factory=list)
    reason: Reason


class MarkPaid(StrictModel):
    reference: Reference
    paid_on: date
