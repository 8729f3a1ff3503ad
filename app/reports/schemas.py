from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StrictInt, StringConstraints

from app.core.types import ResponseModel, StrictModel, clean_text
from app.councils.schemas import CouncilOut


class ExchangeOut(ResponseModel):
    lending_council: CouncilOut
    booking_council: CouncilOut
    bookings: int
    hours: float
    pence: int
    estimated_savings_pence: int
    hours_with_market_rate: float


class ExchangePair(ResponseModel):
    council_a: CouncilOut
    council_b: CouncilOut
    a_lent_pence: int
    b_lent_pence: int
    # In council A's favour: positive when B's hours from A came to more than A's from B.
    net_pence: int


class ExchangeReport(ResponseModel):
    items: list[ExchangeOut]
    pairs: list[ExchangePair]
    total_hours: float
    total_pence: int
    estimated_savings_pence: int
    estimate_label: str
    savings_sources: list[SavingsSource]


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


# --- market rates and savings ------------------------------------------------------------------


class MarketRateOut(ResponseModel):
    id: uuid.UUID
    skill_family: str
    skill_slug: str
    day_rate_pence: int | None
    hours_per_day: float
    source: str
    as_of: date | None
    updated_at: datetime


class MarketRateChangeOut(ResponseModel):
    day_rate_pence: int | None
    hours_per_day: float
    source: str
    as_of: date | None
    changed_at: datetime
    changed_by_name: str | None


class MarketRateList(ResponseModel):
    items: list[MarketRateOut]
    estimate_label: str


class MarketRatePut(StrictModel):
    day_rate_pence: Annotated[StrictInt, Field(gt=0, le=10_000_000)] | None
    source: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=3, max_length=500),
        AfterValidator(clean_text),
    ]
    as_of: date | None = None
    hours_per_day: Annotated[float, Field(gt=0, le=24)] | None = None


class SavingsSource(ResponseModel):
    skill_family: str
    skill_slug: str
    day_rate_pence: int
    hours_per_day: float
    source: str
    as_of: date


class BookingSavingsOut(ResponseModel):
    booking_id: uuid.UUID
    skill: str | None
    recharge_pence: int
    market_cost_pence: int | None
    savings_pence: int | None
    source: SavingsSource | None
    label: str


# --- dashboard ---------------------------------------------------------------------------------


class DashboardMonth(ResponseModel):
    month: str
    lent_bookings: int
    lent_hours: float
    lent_pence: int
    borrowed_bookings: int
    borrowed_hours: float
    borrowed_pence: int
    borrowed_savings_pence: int
    lent_savings_pence: int
    hours_with_market_rate: float


class DashboardSkill(ResponseModel):
    slug: str
    name: str
    family: str
    bookings: int
    hours: float


class DashboardPartner(ResponseModel):
    council: CouncilOut
    lent_hours: float
    lent_pence: int
    borrowed_hours: float
    borrowed_pence: int
    net_pence: int
    outstanding_net_pence: int


class DashboardOut(ResponseModel):
    council: CouncilOut
    months: list[DashboardMonth]
    skills_lent: list[DashboardSkill]
    skills_borrowed: list[DashboardSkill]
    partners: list[DashboardPartner]
    borrowed_savings_pence: int
    lent_savings_pence: int
    savings_sources: list[SavingsSource]
    estimate_label: str
