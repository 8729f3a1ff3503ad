"""Request-level dependencies: the transaction, the actor and role checks."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Annotated, Any

import anyio
import structlog
from fastapi import BackgroundTasks, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.auth import service as auth
from app.core.actor import Actor, Role
from app.core.errors import (
    DomainError,
    Forbidden,
    NotAuthenticated,
    SecondFactorSetupRequired,
)
from app.db import session_scope

log = structlog.get_logger()

SESSION_COOKIE = "tp_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# What a session that must still set up two-factor sign-in may reach.
ENROLMENT_PATHS = frozenset(
    {"/api/v1/me", "/api/v1/auth/totp", "/api/v1/auth/totp/confirm", "/api/v1/auth/logout"}
)

_bearer = HTTPBearer(auto_error=False, description="An API token from POST /api/v1/auth/tokens")
_cookie = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, description="Session cookie from POST /api/v1/auth/login"
)


# Dependencies that do no I/O are `async def`: FastAPI runs a plain `def` dependency in the
# thread pool, a hop (about 0.1 ms of CPU here) for nothing.
async def writes_on_read(request: Request) -> None:
    """Declares a GET route that writes (`dependencies=[Depends(writes_on_read)]`): its
    transaction then takes SQLite's write lock up front like any other write."""
    request.state.writes = True


def is_read_only(request: Request) -> bool:
    """Requests that only read: decided by the HTTP method, never by guessing from the SQL."""
    return request.method in SAFE_METHODS and not getattr(request.state, "writes", False)


async def get_db(request: Request) -> AsyncIterator[Session]:
    """The request's transaction: committed before the response is sent, rolled back on error.

    On SQLite a read-only request begins a deferred transaction (WAL readers go on while a
    writer holds the lock); every other request begins with the write lock (BEGIN IMMEDIATE),
    so two writers never deadlock upgrading a read lock. PostgreSQL ignores the option.

    `async` because opening a Session does no I/O (the transaction begins at the first
    statement, in the endpoint's thread): only the end, which commits, takes a thread.
    """
    factory: sessionmaker[Session] = request.app.state.session_factory
    session = read_only_session(factory) if is_read_only(request) else factory()
    try:
        yield session
    except DomainError as exc:
        await _end_in_thread(session, commit=exc.keep_changes)
        raise
    except BaseException:
        await _end_in_thread(session, commit=False)
        raise
    await _end_in_thread(session, commit=True)


def read_only_session(factory: sessionmaker[Session]) -> Session:
    """A Session whose transaction begins DEFERRED on SQLite. A factory bound to a Connection
    (the tests' transaction, which has begun already) or to nothing is used as it is."""
    bind = getattr(factory, "kw", {}).get("bind")
    if isinstance(bind, Engine):
        return factory(bind=_deferred(bind))
    return factory()


@functools.lru_cache(maxsize=8)
def _deferred(engine: Engine) -> Engine:
    """The engine with the option set: same pool, same events (20 us to make, so made once)."""
    return engine.execution_options(sqlite_begin="DEFERRED")


async def _end_in_thread(session: Session, commit: bool) -> None:
    # Shielded: a request cancelled (the client went away) still ends its transaction.
    with anyio.CancelScope(shield=True):
        await run_in_threadpool(_end, session, commit)


def _end(session: Session, commit: bool) -> None:
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


DbSession = Annotated[Session, Depends(get_db, scope="function")]


def get_actor(
    request: Request,
    db: DbSession,
    background: BackgroundTasks,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> Actor:
    if bearer is not None:
        actor = auth.resolve_api_token(db, bearer.credentials)
        if actor is None:
            raise NotAuthenticated("The API token is not valid or has been revoked.")
        return actor
    if cookie:
        read_only = is_read_only(request)
        actor = auth.resolve_session(db, cookie, touch=not read_only)
        if actor is None:
            raise NotAuthenticated("Your session has ended. Sign in again.")
        if read_only and auth.session_touch_due(db, cookie):
            background.add_task(_touch_session, request.app.state.session_factory, cookie)
        if request.method not in SAFE_METHODS and not auth.csrf_valid(
            cookie, request.headers.get("x-csrf-token")
        ):
            raise Forbidden("The X-CSRF-Token header is missing or wrong.")
        row = auth.session_of(db, cookie)
        if row is not None and row.must_enrol and request.url.path not in ENROLMENT_PATHS:
            raise SecondFactorSetupRequired(
                "Set up two-factor sign-in first: your role needs it (Your account)."
            )
        return actor
    raise NotAuthenticated("Sign in first.")


# A touch after a read waits this long for SQLite's write lock, then gives up: it holds the
# request's slot meanwhile, and the session's next request tries again.
TOUCH_LOCK_WAIT_MS = 200


def _touch_session(factory: sessionmaker[Session], token: str) -> None:
    """After a read's response: mark its session seen, in a short write transaction of its own
    (best effort)."""
    try:
        with session_scope(factory) as session:
            session.connection(execution_options={"sqlite_busy_timeout_ms": TOUCH_LOCK_WAIT_MS})
            auth.touch_session(session, token)
    except SQLAlchemyError as exc:
        log.info("session_touch_skipped", reason=str(exc)[:200])


CurrentActor = Annotated[Actor, Depends(get_actor)]


def require_roles(*roles: Role) -> Callable[[Actor], Coroutine[Any, Any, Actor]]:
    """A dependency that lets through actors holding any of `roles` (403 otherwise)."""

    async def check(actor: CurrentActor) -> Actor:
        if not actor.has_any(*roles):
            raise Forbidden(f"This needs one of the roles: {', '.join(roles)}.")
        return actor

    return check


async def require_platform_admin(actor: CurrentActor) -> Actor:
    if not actor.is_platform_admin:
        raise Forbidden("Only platform admins can do this.")
    return actor


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"
