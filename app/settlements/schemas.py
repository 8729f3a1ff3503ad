from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, StringConstraints

from app.core.types import ResponseModel, StrictModel, clean_text
from app.councils.schemas import CouncilOut
from app.settlements.models import SettlementStatus

Period = Annotated[str, StringConstraints(pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])$")]
Reference = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(clean_text),
]


class SettlementItemOut(ResponseModel):
    kind: Literal["invoice", "credit_note"]
    invoice_id: uuid.UUID
    credit_note_id: uuid.UUID | None
    number: str
    issuer: CouncilOut
    issue_date: date
    gross_pence: int


class SettlementOut(ResponseModel):
    id: uuid.UUID
    reference: str
    period: str
    councils: list[CouncilOut]
    payer: CouncilOut
    payee: CouncilOut
    a_to_b_pence: int
    b_to_a_pence: int
    net_pence: int
    status: SettlementStatus
    invoices: list[SettlementItemOut]
    generated_at: datetime
    payment_reference: str | None
    paid_on: date | None
    confirmed_at: datetime | None


class SettlementList(ResponseModel):
    items: list[SettlementOut]


class SettlementPayment(StrictModel):
    reference: Reference
    paid_on: date


class SettlementRunCreate(StrictModel):
    period: Period


class SettlementRunOut(ResponseModel):
    period: str
    statements_written: int
