"""Request-level dependencies: the transaction, the actor and role checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.auth import service as auth
from app.core.actor import Actor, Role
from app.core.errors import DomainError, Forbidden, NotAuthenticated

SESSION_COOKIE = "tp_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_bearer = HTTPBearer(auto_error=False, description="An API token from POST /api/v1/auth/tokens")
_cookie = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, description="Session cookie from POST /api/v1/auth/login"
)


def get_db(request: Request) -> Iterator[Session]:
    """The request's transaction: committed before the response is sent, rolled back on error."""
    session: Session = request.app.state.session_factory()
    try:
        yield session
        session.commit()
    except DomainError as exc:
        if exc.keep_changes:
            session.commit()
        else:
            session.rollback()
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


DbSession = Annotated[Session, Depends(get_db, scope="function")]


def get_actor(
    request: Request,
    db: DbSession,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> Actor:
    if bearer is not None:
        actor = auth.resolve_api_token(db, bearer.credentials)
        if actor is None:
            raise NotAuthenticated("The API token is not valid or has been revoked.")
        return actor
    if cookie:
        actor = auth.resolve_session(db, cookie)
        if actor is None:
            raise NotAuthenticated("Your session has ended. Sign in again.")
        if request.method not in SAFE_METHODS and not auth.csrf_valid(
            cookie, request.headers.get("x-csrf-token")
        ):
            raise Forbidden("The X-CSRF-Token header is missing or wrong.")
        return actor
    raise NotAuthenticated("Sign in first.")


CurrentActor = Annotated[Actor, Depends(get_actor)]


def require_roles(*roles: Role) -> Callable[[Actor], Actor]:
    """A dependency that lets through actors holding any of `roles` (403 otherwise)."""

    def check(actor: CurrentActor) -> Actor:
        if not actor.has_any(*roles):
            raise Forbidden(f"This needs one of the roles: {', '.join(roles)}.")
        return actor

    return check


def require_platform_admin(actor: CurrentActor) -> Actor:
    if not actor.is_platform_admin:
        raise Forbidden("Only platform admins can do this.")
    return actor


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"
