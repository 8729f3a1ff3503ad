from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field

from app.core.types import Flag, ResponseModel, StrictModel


class NotificationOut(ResponseModel):
    id: uuid.UUID
    kind: str
    text: str
    link: str | None
    created_at: datetime
    read_at: datetime | None


class UnreadCountOut(ResponseModel):
    unread: int


class MarkReadBody(StrictModel):
    """Either `ids` (up to 200 of one's own notifications) or `all: true`."""

    ids: Annotated[list[uuid.UUID], Field(max_length=200)] = []
    all: Flag = False


class MarkedReadOut(ResponseModel):
    marked: int
    unread: int
