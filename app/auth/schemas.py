from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from app.core.isoweek import IsoWeek
from app.core.types import Email, Name, ResponseModel, StrictModel
from app.councils.schemas import CouncilOut


class LoginRequest(StrictModel):
    email: Email
    password: Annotated[str, StringConstraints(min_length=1, max_length=128)]


class MeCouncilOut(CouncilOut):
    po_required: bool = Field(
        description="Whether the council asks for a purchase order number on every booking it "
        "makes (a booker can then be told before sending one)."
    )


class MeOut(ResponseModel):
    id: uuid.UUID
    email: str
    name: str
    council: MeCouncilOut | None
    roles: list[str]
    is_platform_admin: bool
    officer_id: uuid.UUID | None
    csrf_token: str | None = None
    today: date = Field(description="The server's today (Europe/London; TP_TODAY when set).")
    current_week: IsoWeek = Field(description="The ISO week of the server's today.")


class LoginOut(ResponseModel):
    user: MeOut
    csrf_token: str


class TokenCreate(StrictModel):
    name: Name


class TokenCreated(ResponseModel):
    id: uuid.UUID
    name: str
    token: str
    created_at: datetime


class TokenOut(ResponseModel):
    id: uuid.UUID
    name: str
    created_at: datetime
    revoked_at: datetime | None
