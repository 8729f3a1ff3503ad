from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field, StrictBool, StrictInt, StringConstraints

from app.core.types import LongText, Name, ResponseModel, ShortText, StrictModel
from app.councils.schemas import CouncilOut

SkillSlug = Annotated[str, StringConstraints(max_length=60, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
JobTitle = Annotated[ShortText, StringConstraints(max_length=120)]


class SkillOut(ResponseModel):
    slug: str
    name: str
    family: str


class OfficerOut(ResponseModel):
    """A profile as other councils see it."""

    id: uuid.UUID
    council: CouncilOut
    display_name: str
    job_title: str
    summary: str
    skills: list[SkillOut]
    visible: bool
    rate_pence_per_hour: int
    # Only in the list of one's own council's officers (managers and council admins).
    user_id: uuid.UUID | None = None


class MyOfficerOut(OfficerOut):
    rate_is_council_default: bool
    consent_version: str | None
    consented_at: datetime | None
    consent_current: bool


class OfficerUpdate(StrictModel):
    display_name: Name
    job_title: JobTitle = ""
    summary: LongText = ""
    skills: Annotated[list[SkillSlug], Field(max_length=30)] = Field(default_factory=list)
    # Listed for other councils only by choice (and with consent, in an accepted council).
    visible: StrictBool = False


class ConsentGive(StrictModel):
    version: Annotated[str, StringConstraints(max_length=20)] | None = None


class RateUpdate(StrictModel):
    rate_pence_per_hour: Annotated[StrictInt, Field(ge=0, le=100_000)]
