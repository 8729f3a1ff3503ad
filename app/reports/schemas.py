from __future__ import annotations

from datetime import date

from app.core.types import ResponseModel
from app.councils.schemas import CouncilOut


class ExchangeOut(ResponseModel):
    lending_council: CouncilOut
    booking_council: CouncilOut
    bookings: int
    hours: float
    pence: int


class ExchangeReport(ResponseModel):
    items: list[ExchangeOut]
    total_hours: float
    total_pence: int


class PoolHealthOut(ResponseModel):
    today: date
    quarter_first: date
    quarter_last: date
    month: str
    member_councils: int
    councils_on_current_agreement: int
    officers_listed: int
    hours_listed: float
    bookings: int
    booked_pence: int
