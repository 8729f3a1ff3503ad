from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    field_validator,
)

from app.core.actor import Role
from app.core.postcode import normalise_postcode
from app.core.types import (
    CouncilCode,
    Email,
    Name,
    Password,
    Reason,
    RequiredShortText,
    ResponseModel,
    ShortText,
    StrictModel,
    clean_text,
)

Nation = Literal["England", "Scotland", "Wales", "Northern Ireland"]
VatTreatment = Literal["standard", "zero", "exempt", "outside_scope"]
Domain = Annotated[
    str,
    StringConstraints(
        to_lower=True,
        max_length=253,
        pattern=r"^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$",
    ),
]
AddressLine = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(clean_text),
]
Postcode = Annotated[str, StringConstraints(max_length=10), AfterValidator(normalise_postcode)]


def _digits(count: int) -> AfterValidator:
    """Digits only, after dropping spaces and dashes ("30-99-50" is the sort code 309950)."""

    def check(value: str) -> str:
        compact = re.sub(r"[\s-]", "", value)
        if not re.fullmatch(rf"[0-9]{{{count}}}", compact):
            raise ValueError(f"must be {count} digits")
        return compact

    return AfterValidator(check)


SortCode = Annotated[str, StringConstraints(max_length=20), _digits(6)]
AccountNumber = Annotated[str, StringConstraints(max_length=20), _digits(8)]
LedgerCode = Annotated[str, StringConstraints(max_length=40, pattern=r"^[A-Za-z0-9 ._/-]*$")]


class CouncilOut(ResponseModel):
    id: uuid.UUID
    name: str
    code: str
    nation: str
    region: str
    gss_code: str | None = None


class CouncilCreate(StrictModel):
    name: Name
    code: CouncilCode
    nation: Nation
    region: RequiredShortText
    gss_code: Annotated[str, StringConstraints(pattern=r"^[ENSW]\d{8}$")] | None = None


class CouncilSettingsOut(ResponseModel):
    council_id: uuid.UUID
    vat_rate_bps: int
    vat_treatment: str
    vat_reason: str | None
    vat_number: str | None
    invoice_address: str
    address_lines: list[str]
    town: str | None
    postcode: str | None
    finance_email: str | None
    payment_terms_days: int
    po_required: bool
    cancellation_notice_days: int
    late_cancellation_charge_percent: int
    email_domains: list[str]
    stripe_enabled: bool
    default_rate_pence_per_hour: int
    ledger_code: str | None
    cost_centre: str | None
    subjective_code: str | None
    bank_account_name: str | None
    bank_sort_code: str | None
    bank_account_number: str | None
    remittance_email: str | None


class CouncilSettingsUpdate(StrictModel):
    vat_rate_bps: Annotated[StrictInt, Field(ge=0, le=10000)] | None = None
    vat_treatment: VatTreatment | None = None
    vat_reason: ShortText | None = None
    vat_number: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}[A-Z0-9]{2,15}$")] | None = None
    address_lines: Annotated[list[AddressLine], Field(min_length=1, max_length=4)] | None = None
    town: (
        Annotated[
            str,
            StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
            AfterValidator(clean_text),
        ]
        | None
    ) = None
    postcode: Postcode | None = None
    finance_email: Email | None = None
    payment_terms_days: Annotated[StrictInt, Field(ge=0, le=365)] | None = None
    po_required: StrictBool | None = None
    cancellation_notice_days: Annotated[StrictInt, Field(ge=0, le=60)] | None = None
    late_cancellation_charge_percent: Annotated[StrictInt, Field(ge=0, le=100)] | None = None
    email_domains: Annotated[list[Domain], Field(max_length=20)] | None = None
    stripe_enabled: StrictBool | None = None
    default_rate_pence_per_hour: Annotated[StrictInt, Field(ge=0, le=100_000)] | None = None
    ledger_code: LedgerCode | None = None
    cost_centre: LedgerCode | None = None
    subjective_code: LedgerCode | None = None
    bank_account_name: (
        Annotated[
            str,
            StringConstraints(strip_whitespace=True, min_length=1, max_length=140),
            AfterValidator(clean_text),
        ]
        | None
    ) = None
    bank_sort_code: SortCode | None = None
    bank_account_number: AccountNumber | None = None
    remittance_email: Email | None = None


class AgreementOut(ResponseModel):
    version: str
    text: str
    officer_consent_text: str
    published_at: datetime


class AgreementAccept(StrictModel):
    version: Annotated[str, StringConstraints(max_length=20)] | None = None


class AgreementAcceptanceOut(ResponseModel):
    council_id: uuid.UUID
    version: str
    accepted_at: datetime


class InvitationCreate(StrictModel):
    email: Email
    name: Name
    roles: Annotated[list[Role], Field(max_length=5)] = Field(default_factory=list)


class InvitationOut(ResponseModel):
    id: uuid.UUID
    council_id: uuid.UUID
    email: str
    name: str
    roles: list[str]
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None = None


class InvitationAccept(StrictModel):
    password: Password


# --- the agreement, joining and the platform's pages ---------------------------------------

AgreementVersionText = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=20, pattern=r"^[A-Za-z0-9._-]+$"
    ),
]
AgreementText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=20, max_length=20000),
    AfterValidator(clean_text),
]
CouncilStateName = Literal["not_joined", "requested", "invited", "member", "left"]


class AgreementVersionCreate(StrictModel):
    version: AgreementVersionText
    text: AgreementText
    officer_consent_text: AgreementText


class CouncilAgreementOut(ResponseModel):
    """Where one council stands with the pool's agreement."""

    council_id: uuid.UUID
    current_version: str
    accepted_version: str | None
    accepted_at: datetime | None
    accepted_by_name: str | None
    accepted_current: bool
    left_at: datetime | None


class CouncilRef(ResponseModel):
    id: uuid.UUID
    name: str
    code: str


class AcceptanceOut(ResponseModel):
    council: CouncilRef
    version: str
    accepted_at: datetime


class RegisterCouncilOut(ResponseModel):
    code: str
    name: str
    nation: str


class RegisterOut(ResponseModel):
    """Every council of the register (not only members): what the join page picks from."""

    councils: list[RegisterCouncilOut]


class JoinRequestCreate(StrictModel):
    council_code: CouncilCode
    name: Name
    job_title: Name
    email: Email


class JoinRequestAccepted(ResponseModel):
    status: Literal["check_your_email"] = "check_your_email"
    detail: str = (
        "If the details can be used, we have emailed a link to confirm the request. "
        "It reaches the pool's team only after you follow the link."
    )


class JoinVerify(StrictModel):
    token: Annotated[
        str, StringConstraints(min_length=10, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")
    ]


class JoinVerified(ResponseModel):
    council_name: str
    status: str


class JoinRequestOut(ResponseModel):
    id: uuid.UUID
    council: CouncilOut
    council_state: CouncilStateName
    council_people: int
    email_domains: list[str]
    email_has_account: bool
    name: str
    job_title: str
    email: str
    status: str
    created_at: datetime
    verified_at: datetime | None
    decided_at: datetime | None
    decline_reason: str | None
    invitation_id: uuid.UUID | None


class JoinApprove(StrictModel):
    email_domains: Annotated[list[Domain], Field(min_length=1, max_length=20)]


class JoinDecline(StrictModel):
    reason: Reason


class CouncilEntryOut(CouncilOut):
    authority_type: str | None = None
    state: CouncilStateName
    people: int


class CouncilUpdate(StrictModel):
    name: Name | None = None
    code: CouncilCode | None = None
    nation: Nation | None = None
    region: RequiredShortText | None = None
    gss_code: Annotated[str, StringConstraints(pattern=r"^[ENSW]\d{8}$")] | None = None

    @field_validator("name", "code", "nation", "region", mode="after")
    @classmethod
    def _not_null(cls, value: object) -> object:
        """Only the GSS code may be cleared (null); the others always have a value."""
        if value is None:
            raise ValueError("cannot be null")
        return value
