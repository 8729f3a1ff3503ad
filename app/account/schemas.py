from __future__ import annotations

import uuid
from datetime import date

from pydantic import Field

from app.core.actor import Role
from app.core.isoweek import IsoWeek
from app.core.types import ResponseModel
from app.councils.schemas import CouncilOut


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
    roles: list[Role]
    is_platform_admin: bool
    officer_id: uuid.UUID | None
    csrf_token: str | None = None
    today: date = Field(description="The server's today (Europe/London; TP_TODAY when set).")
    current_week: IsoWeek = Field(description="The ISO week of the server's today.")
    two_factor_setup_required: bool = Field(
        default=False,
        description="This session must set up two-factor sign-in before anything else "
        "(POST /auth/totp, then /auth/totp/confirm).",
    )
    signed_in_with: str | None = Field(
        default=None, description="password or sso; null for an API token"
    )


class SessionStarted(ResponseModel):
    """The answer to signing in or accepting an invitation: the account and its CSRF token."""

    user: MeOut
    csrf_token: str


class TaskOut(ResponseModel):
    key: str = Field(description="What kind of task: join_requests, agreement, approvals, ...")
    count: int
    text: str
    href: str = Field(description="The SPA page where it is done")


class HomeOut(ResponseModel):
    """What needs doing now for the signed-in person's roles (counts of 0 included)."""

    tasks: list[TaskOut]
