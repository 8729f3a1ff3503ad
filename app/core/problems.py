"""problem+json (RFC 9457) for every error, and the OpenAPI description of those errors."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.errors import DomainError

log = structlog.get_logger()

PROBLEM_MEDIA_TYPE = "application/problem+json"


def problem(
    status: int, detail: str, title: str | None = None, type_: str = "about:blank", **extra: Any
) -> JSONResponse:
    body = {
        "type": type_,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE)


def _loc(loc: tuple[Any, ...]) -> list[str | int]:
    return [part if isinstance(part, int) else str(part) for part in loc]


async def _domain_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    response = problem(exc.status, exc.detail, exc.title, exc.type, **exc.extra())
    if exc.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="talentpool"'
    return response


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if any(error.get("type") == "json_invalid" for error in errors):
        return problem(400, "The request body is not valid JSON.", "Malformed JSON")
    return problem(
        422,
        "The request has invalid or missing fields.",
        "Unprocessable content",
        errors=[
            {"loc": _loc(tuple(e.get("loc", ()))), "msg": str(e.get("msg", ""))} for e in errors
        ],
    )


async def http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    response = problem(exc.status_code, str(exc.detail))
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


async def _integrity_error(_request: Request, exc: Exception) -> JSONResponse:
    log.warning("integrity_error", error=str(exc.__cause__ or exc)[:500])
    return problem(409, "That conflicts with the current state of the data. Reload and try again.")


# SQLite's primary result codes that mean "not now" rather than "wrong": busy, locked, out of
# memory, I/O error, disk full, cannot open, lock protocol.
_SQLITE_UNAVAILABLE = frozenset({5, 6, 7, 10, 13, 14, 15})


def request_id_of(request: Request) -> str | None:
    """The request's id (RequestContextMiddleware puts it in the scope's state)."""
    return getattr(request.state, "request_id", None)


def database_unavailable(exc: DBAPIError) -> bool:
    """Whether a database error means the database cannot be reached or is overloaded (503),
    rather than a fault in a statement (500)."""
    if exc.connection_invalidated:
        return True
    code = getattr(exc.orig, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in _SQLITE_UNAVAILABLE
    # PostgreSQL (psycopg): connection failures, resources, operator intervention, timeouts.
    return isinstance(exc, OperationalError)


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    """An unhandled database error. The request's session has already rolled back (or its
    connection was invalidated), so the pool gets a usable connection back."""
    assert isinstance(exc, DBAPIError)
    request_id = request_id_of(request)
    if database_unavailable(exc):
        log.error("database_unavailable", error=str(exc.orig)[:500])
        return problem(
            503, "The database is unavailable. Try again shortly.", request_id=request_id
        )
    log.error("database_error", error=str(exc)[:2000], exc_info=exc)
    return problem(
        500,
        "Something went wrong on our side. It has been logged; quote the request id if you "
        "contact us.",
        request_id=request_id,
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled_error", exc_info=exc)
    return problem(
        500,
        "Something went wrong on our side. It has been logged.",
        request_id=request_id_of(request),
    )


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(Exception, _unexpected)


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["loc", "msg"],
                "properties": {
                    "loc": {
                        "type": "array",
                        "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                    },
                    "msg": {"type": "string"},
                },
            },
        },
    },
}

_DESCRIPTIONS = {
    400: "Malformed JSON, or a cursor this list did not give out",
    401: "Not signed in",
    403: "Signed in but not allowed (or a missing CSRF token)",
    404: "Not found, or not visible to you",
    409: "Conflicts with the current state",
    422: "Invalid input; `errors` lists the fields at fault",
    429: "Too many attempts",
    503: "The database is unavailable",
}


def document_problems(schema: dict[str, Any], public_paths: set[str]) -> dict[str, Any]:
    """Describe the problem+json answers every operation can give, in place of FastAPI's own 422."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    schema["components"]["schemas"].pop("HTTPValidationError", None)
    schema["components"]["schemas"].pop("ValidationError", None)
    ref = {"$ref": "#/components/schemas/Problem"}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            statuses = {404, 422, 503}
            params = {p.get("name") for p in operation.get("parameters", [])}
            if operation.get("requestBody") or "cursor" in params:
                statuses.add(400)
            if path not in public_paths:
                statuses |= {401, 403}
            statuses |= {int(code) for code in responses if code.isdigit() and int(code) >= 400}
            for status in sorted(statuses):
                entry = responses.setdefault(str(status), {})
                entry["description"] = entry.get("description") or _DESCRIPTIONS.get(
                    status, "Error"
                )
                if entry["description"] == "Validation Error":
                    entry["description"] = _DESCRIPTIONS[422]
                entry["content"] = {PROBLEM_MEDIA_TYPE: {"schema": ref}}
            del method
    return schema
