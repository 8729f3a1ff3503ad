"""create_app(): routers, middleware, error handlers and the static SPA."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.staticfiles import StaticFiles

from app.account.api import router as account_router
from app.audit.api import router as audit_router
from app.auth.api import router as auth_router
from app.availability.api import router as availability_router
from app.bookings.api import router as bookings_router
from app.config import Settings, get_settings
from app.core.logging import configure_logging
from app.core.middleware import (
    BodyLimitMiddleware,
    ConcurrencyLimitMiddleware,
    RequestContextMiddleware,
    TrustedProxyMiddleware,
)
from app.core.problems import document_problems, http_error, install_handlers
from app.councils.api import router as councils_router
from app.councils.pool_api import router as pool_router
from app.db import get_engine, make_session_factory
from app.invoicing.api import router as invoicing_router
from app.notifications.api import router as notifications_router
from app.officers.api import router as officers_router
from app.payments.api import WEBHOOK_PATH
from app.payments.api import router as payments_router
from app.reports.api import router as reports_router
from app.requests.api import router as requests_router
from app.settlements.api import router as settlements_router

API_PREFIX = "/api/v1"
# Operations anyone may call without signing in.
PUBLIC_PATHS = {
    "/api/health",
    "/api/ping",
    f"{API_PREFIX}/auth/login",
    f"{API_PREFIX}/invitations/{{token}}/accept",
    f"{API_PREFIX}/calendar/{{feed_token}}.ics",
    f"{API_PREFIX}/payments/stripe/webhook",
    f"{API_PREFIX}/register/councils",
    f"{API_PREFIX}/join-requests/verify",
    # identity (issue 12)
    f"{API_PREFIX}/auth/password-reset",
    f"{API_PREFIX}/auth/password-reset/complete",
    f"{API_PREFIX}/auth/discover",
    f"{API_PREFIX}/auth/sso/start",
    f"{API_PREFIX}/auth/sso/callback",
    f"{API_PREFIX}/open-data/monthly.csv",
    f"{API_PREFIX}/open-data/monthly.json",
    f"{API_PREFIX}/open-data/dictionary.json",
}


class Health(BaseModel):
    status: str
    database: str


def create_app(
    settings: Settings | None = None, session_factory: sessionmaker[Session] | None = None
) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_json, settings.log_level)
    app = FastAPI(
        title="LocalGov Talent Pool",
        version="1",
        description="UK councils lend each other their officers' spare hours.",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.session_factory = session_factory or make_session_factory(get_engine())
    install_handlers(app)
    # Outermost last: the client's address, request ids, then bodies read in full, then a slot
    # among the requests in flight.
    writes, reads = _concurrency(app.state.session_factory, settings)
    app.add_middleware(ConcurrencyLimitMiddleware, limit=writes, read_limit=reads)
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        timeout=settings.body_timeout_seconds,
        limits_by_path={API_PREFIX + WEBHOOK_PATH: settings.webhook_max_body_bytes},
    )
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(TrustedProxyMiddleware, trusted=settings.trusted_proxies)

    # A request is matched against the routes in this order, one by one: the busiest first
    # (`/me` on every page, search and bookings: a search tries 35 routes, not 87).
    for router in (
        account_router,
        availability_router,
        bookings_router,
        auth_router,
        councils_router,
        pool_router,
        officers_router,
        audit_router,
        invoicing_router,
        payments_router,
        reports_router,
        notifications_router,  # market (issue 13)
        requests_router,  # market (issue 13)
        settlements_router,
    ):
        app.include_router(router, prefix=API_PREFIX)
    app.add_api_route(
        "/api/health",
        _health,
        methods=["GET"],
        response_model=Health,
        tags=["operations"],
        responses={503: {"description": "Database down"}},
    )
    app.add_api_route(
        "/api/ping",
        _ping,
        methods=["GET"],
        tags=["operations"],
        summary="Liveness: answers without touching the database",
    )
    _install_openapi(app)
    _mount_spa(app, settings.static_dir)
    return app


# Sync dependencies and endpoints share anyio's default pool of 40 threads; a request holds
# at most one at a time, so the limits below stay under it (and under the connection pool).
THREADS = 40


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    # Said, not assumed: the limits in flight are sized against this many threads.
    anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
    yield


def _concurrency(factory: sessionmaker[Session], settings: Settings) -> tuple[int, int | None]:
    """Requests in flight per process. SQLite runs one write transaction at a time, so a few
    writes (the rest queue in order instead of polling for the lock) and, apart, a few more
    reads, which never wait for the lock; PostgreSQL `requests_in_flight` (as many as the pool
    has connections, below the threads), reads and writes together."""
    bind = getattr(factory, "kw", {}).get("bind")
    engine = bind.dialect.name if bind is not None else settings.database_url.split(":")[0]
    if engine.startswith("sqlite"):
        return settings.sqlite_writes_in_flight, settings.sqlite_reads_in_flight
    return settings.requests_in_flight, None


def _ping() -> dict[str, bool]:
    return {"pong": True}


def _health(request: Request) -> Any:
    factory: sessionmaker[Session] = request.app.state.session_factory
    try:
        with factory() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
    return Health(status="ok", database="ok")


def _install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            app.openapi_schema = document_problems(schema, PUBLIC_PATHS)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _mount_spa(app: FastAPI, static_dir: Path) -> None:
    """Serve the built SPA at /. A GET outside /api that matches no route gets index.html, so
    client-side routes work on reload; /api paths keep their 404 and 405 answers."""
    assets = static_dir / "assets"
    if assets.is_dir():
        app.mount("/assets", StaticFiles(directory=assets), name="assets")
    root = static_dir.resolve()

    async def not_found(request: Request, exc: Exception) -> Response:
        path = request.url.path
        is_page = request.method in {"GET", "HEAD"} and not path.startswith(("/api", "/assets/"))
        if isinstance(exc, StarletteHTTPException) and exc.status_code == 405:
            response = await http_error(request, exc)
            response.headers["Allow"] = ", ".join(_allowed_methods(request))
            return response
        if not (is_page and isinstance(exc, StarletteHTTPException) and exc.status_code == 404):
            return await http_error(request, exc)
        candidate = (root / path.lstrip("/")).resolve()
        if candidate.is_file() and candidate.is_relative_to(root):
            return FileResponse(candidate)
        index = root / "index.html"
        if not index.is_file():
            return HTMLResponse(
                "<h1>The SPA is not built</h1><p>Run <code>make run</code>.</p>", status_code=503
            )
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    app.add_exception_handler(StarletteHTTPException, not_found)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route offers for this path (Starlette names only the first route's)."""
    allowed = []
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return allowed
