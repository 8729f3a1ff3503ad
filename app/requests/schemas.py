from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from app.bookings.schemas import BookingOut, PurchaseOrder
from app.core.hours import Hours
from app.core.isoweek import IsoWeek
from app.core.types import (
    Flag,
    Name,
    RequiredShortText,
    ResponseModel,
    ShortText,
    StrictModel,
    clean_text,
)
from app.councils.schemas import CouncilOut, Nation
from app.officers.schemas import OfficerOut, SkillOut, SkillSlug
from app.requests.models import OfferStatus, RequestStatus

Description = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=4000),
    AfterValidator(clean_text),
]
Note = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=1000), AfterValidator(clean_text)
]
MessageText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=4000),
    AfterValidator(clean_text),
]


class RequestCreate(StrictModel):
    title: RequiredShortText
    description: Description
    skills: Annotated[list[SkillSlug], Field(min_length=1, max_length=10)]
    from_week: IsoWeek
    to_week: IsoWeek
    hours_per_week: Hours
    max_rate_pence: Annotated[int | None, Field(ge=0, le=100_000, strict=True)] = None
    closes_on: date
    purchase_order: PurchaseOrder | None = None


class CloseBody(StrictModel):
    filled: Flag = False


class RequestOut(ResponseModel):
    id: uuid.UUID
    council: CouncilOut
    title: str
    description: str
    skills: list[SkillOut]
    from_week: str
    to_week: str
    hours_per_week: float
    max_rate_pence: int | None
    closes_on: date
    # Only the requesting council sees its purchase order number.
    purchase_order: str | None
    status: RequestStatus
    created_at: datetime
    # Live offers (made or accepted): only for the requesting council.
    offer_count: int | None = None
    mine: bool


class OfferWeekIn(StrictModel):
    week: IsoWeek
    hours: Hours


class OfferCreate(StrictModel):
    weeks: Annotated[list[OfferWeekIn], Field(min_length=1, max_length=26)]
    note: Note = ""


class OfferWeekOut(ResponseModel):
    week: str
    week_start: date
    hours: float
    # The officer's approved, unbooked hours in the week now: the offer can be accepted once
    # they cover every week.
    approved_hours: float
    booking_id: uuid.UUID | None


class OfferCostOut(ResponseModel):
    hours: float
    rate_pence_per_hour: int
    net_pence: int
    vat_pence: int
    gross_pence: int


class OfferOut(ResponseModel):
    id: uuid.UUID
    request_id: uuid.UUID
    officer: OfficerOut
    weeks: list[OfferWeekOut]
    note: str
    status: OfferStatus
    created_at: datetime
    ready: bool  # every week's hours approved: accepting will book them
    cost: OfferCostOut


class AcceptedOut(ResponseModel):
    offer: OfferOut
    bookings: list[BookingOut]


class MessageCreate(StrictModel):
    text: MessageText


class MessageOut(ResponseModel):
    id: uuid.UUID
    author_id: uuid.UUID
    author_name: str
    author_council: CouncilOut | None
    text: str
    created_at: datetime
    mine: bool


class SavedQueryIn(StrictModel):
    """The people search's filters (GET /search/people), without weeks: a saved search always
    looks at the weeks ahead."""

    skill: Annotated[list[SkillSlug], Field(max_length=10)] = []
    min_hours: Hours | None = None
    nation: Nation | None = None
    region: RequiredShortText | None = None
    max_rate_pence: Annotated[int | None, Field(ge=0, le=100_000, strict=True)] = None
    q: ShortText | None = None


class SavedSearchCreate(StrictModel):
    name: Name
    query: SavedQueryIn


class SavedQueryOut(ResponseModel):
    skill: list[str]
    min_hours: float | None
    nation: str | None
    region: str | None
    max_rate_pence: int | None
    q: str | None


class SavedSearchOut(ResponseModel):
    id: uuid.UUID
    name: str
    query: SavedQueryOut
    created_at: datetime
    # The search on the Find expertise page.
    find_path: str
