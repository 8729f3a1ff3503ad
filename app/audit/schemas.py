from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from app.core.types import ResponseModel


class AuditEventOut(ResponseModel):
    id: uuid.UUID
    at: datetime
    actor_user_id: uuid.UUID | None
    actor_name: str | None = None
    council_id: uuid.UUID | None
    action: str
    entity: str
    entity_id: uuid.UUID
    summary: str
    data: dict[str, Any] | None


class AuditPersonOut(ResponseModel):
    user_id: uuid.UUID
    name: str
