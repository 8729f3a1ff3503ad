"""Reusable constrained types for request bodies and query strings.

Every string the API accepts is bounded and free of NUL bytes and lone surrogates, which
PostgreSQL refuses (a 500 otherwise).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Response
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
)


def clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("must be valid Unicode text") from exc
    return value


_clean = AfterValidator(clean_text)

Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), _clean
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), _clean]
RequiredShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), _clean
]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000), _clean]
Email = Annotated[EmailStr, StringConstraints(max_length=254), _clean]
CouncilCode = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{1,9}$")]
Password = Annotated[str, StringConstraints(min_length=12, max_length=128), _clean]
Pence = Annotated[StrictInt, Field(ge=0, le=100_000_000)]
# JSON booleans and integers only: no 0/1 for true/false, no 1.0 or "1" for 1.
Flag = StrictBool
Count = StrictInt


class StrictModel(BaseModel):
    """Request bodies: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class ResponseModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    def as_response(self) -> Response:
        return json_response(self)


def json_response(model: BaseModel) -> Response:
    """The model as JSON, written once. FastAPI sends a Response as it is, where for a sync
    endpoint it would pass a returned model to the thread pool to be validated again (a hop,
    about 0.25 ms of CPU: bench/overhead.py). Declare `response_model=` on the route for the
    OpenAPI document."""
    return Response(model.model_dump_json(), media_type="application/json")


Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), _clean
]
