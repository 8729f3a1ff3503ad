from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StrictBool, StringConstraints

from app.core.actor import Role
from app.core.types import Email, Name, ResponseModel, StrictModel

Domain = Annotated[
    str,
    StringConstraints(
        to_lower=True,
        max_length=253,
        pattern=r"^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$",
    ),
]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Secret = Annotated[str, StringConstraints(min_length=1, max_length=128)]


class LoginRequest(StrictModel):
    email: Email
    password: Secret
    totp: Code | None = Field(
        default=None, description="The 6-digit code, when two-factor sign-in is on"
    )
    recovery_code: Code | None = Field(default=None, description="Instead of `totp`: used once")


class PasswordChange(StrictModel):
    current_password: Secret
    new_password: Secret = Field(description="12 to 128 characters, not a common password")


class PasswordResetRequest(StrictModel):
    email: Email


class PasswordResetRequested(ResponseModel):
    """The same answer whether or not the address has an account."""

    detail: str = "If the address has an account, a link to reset its password is on its way."


class PasswordResetComplete(StrictModel):
    token: Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[\w-]+$")]
    password: Secret


class TotpStarted(ResponseModel):
    secret: str = Field(description="Base32, for typing into an authenticator app")
    otpauth_uri: str
    qr_svg: str = Field(description="The QR code of otpauth_uri as an SVG data URI")


class TotpConfirm(StrictModel):
    code: Code


class RecoveryCodes(ResponseModel):
    recovery_codes: list[str] = Field(description="Shown once; each works once")


class TotpReset(StrictModel):
    code: Code | None = None
    recovery_code: Code | None = None


class TwoFactorOut(ResponseModel):
    enabled: bool
    required: bool = Field(description="Whether the person's roles or council require it")
    recovery_codes_left: int


class SessionOut(ResponseModel):
    id: uuid.UUID
    created_at: datetime
    last_seen_at: datetime
    method: str = Field(description="password or sso")
    device: str = Field(description="Browser and system, from the User-Agent")
    ip: str | None
    current: bool


class DiscoverRequest(StrictModel):
    email: Email


class DiscoverOut(ResponseModel):
    method: Literal["password", "sso"]


class SsoSettingsIn(StrictModel):
    issuer: Annotated[str, StringConstraints(max_length=300, pattern=r"^https?://\S+$")] | None
    client_id: Annotated[str, StringConstraints(min_length=1, max_length=300)] | None = None
    client_secret: Annotated[str, StringConstraints(min_length=1, max_length=500)] | None = Field(
        default=None, description="Write-only; omitted keeps the stored one"
    )
    email_domains: Annotated[list[Domain], Field(max_length=20)] = []
    create_officers: StrictBool = False
    require_two_factor: StrictBool = False


class SsoSettingsOut(ResponseModel):
    issuer: str | None
    client_id: str | None
    client_secret_set: bool
    email_domains: list[str]
    create_officers: bool
    require_two_factor: bool
    redirect_uri: str = Field(description="To register with the provider")


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
