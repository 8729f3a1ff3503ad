from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import StringConstraints

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
