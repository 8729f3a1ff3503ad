from __future__ import annotations

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
