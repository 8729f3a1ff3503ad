from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field, StrictBool, StringConstraints

from app.core.actor import Role
from app.core.types import Email, Name, ResponseModel, StrictModel


class LoginRequest(StrictModel):
    email: Email
    password: Annotated[str, StringConstraints(min_length=1, max_length=128)]


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


class UserOut(ResponseModel):
    id: uuid.UUID
    email: str
    name: str
    roles: list[Role]
    line_manager_id: uuid.UUID | None
    active: bool


class UserUpdate(StrictModel):
    roles: Annotated[list[Role], Field(max_length=5)] | None = None
    line_manager_id: uuid.UUID | None = None
    active: StrictBool | None = None
