"""create_app(): routers, middleware, error handlers and the static SPA."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.staticfiles import StaticFiles

from app.audit.api import router as audit_router
from app.auth.api import router as auth_router
from app.config import Settings, get_settings
from app.core.logging import configure_logging
from app.core.middleware import RequestContextMiddleware
from app.core.problems import document_problems, install_handlers, problem
from app.councils.api import router as councils_router
from app.db import get_engine, make_session_factory
from app.officers.api import router as officers_router

API_PREFIX = "/api/v1"
# Operations anyone may call without signing in.
PUBLIC_PATHS = {"/api/health", f"{API_PREFIX}/auth/login", f"{API_PREFIX}/invitations/{{token}}/accept"}


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
    )
    app.state.session_factory = session_factory or make_session_factory(get_engine())
    install_handlers(app)
    app.add_middleware(RequestContextMiddleware)

    api = APIRouter(prefix=API_PREFIX)
    for router in (auth_router, councils_router, officers_router, audit_router):
        api.include_router(router)
    app.include_router(api)
    app.add_api_route("/api/health", _health, methods=["GET"], response_model=Health,
                      tags=["operations"], responses={503: {"description": "Database down"}})
    _install_openapi(app)
    _mount_spa(app, settings.static_dir)
    return app


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
            schema = get_openapi(title=app.title, version=app.version,
                                 description=app.description, routes=app.routes)
            app.openapi_schema = document_problems(schema, PUBLIC_PATHS)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _mount_spa(app: FastAPI, static_dir: Path) -> None:
    """Serve the built SPA at /; client-side routes fall back to index.html."""
    assets = static_dir / "assets"
    if assets.is_dir():
        app.mount("/assets", StaticFiles(directory=assets), name="assets")
    root = static_dir.resolve()

    async def spa(request: Request, path: str) -> Response:
        if path == "api" or path.startswith("api/"):
            return problem(404, "There is no such API path.")
        index = root / "index.html"
        candidate = (root / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(root):
            return FileResponse(candidate)
        if not index.is_file():
            return HTMLResponse(
                "<h1>The SPA is not built</h1><p>Run <code>make run</code>.</p>", status_code=503
            )
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    app.add_api_route("/{path:path}", spa, methods=["GET", "HEAD"], include_in_schema=False)
