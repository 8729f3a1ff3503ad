from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response

from app.auth import service
from app.auth.schemas import TokenCreate, TokenCreated, TokenOut
from app.config import get_settings
from app.core.pagination import Page
from app.dependencies import SESSION_COOKIE, CurrentActor, DbSession

router = APIRouter(tags=["auth"])


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    settings = get_settings()
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_absolute_days * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure or request.url.scheme == "https",
        path="/",
    )


@router.post("/auth/logout", status_code=204)
def logout(actor: CurrentActor, db: DbSession, response: Response) -> Response:
    service.logout(db, actor)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/auth/tokens", response_model=TokenCreated, status_code=201)
def create_token(body: TokenCreate, actor: CurrentActor, db: DbSession) -> TokenCreated:
    row, raw = service.create_api_token(db, actor, body.name)
    return TokenCreated(id=row.id, name=row.name, token=raw, created_at=row.created_at)


@router.get("/auth/tokens", response_model=Page[TokenOut])
def list_tokens(actor: CurrentActor, db: DbSession) -> Page[TokenOut]:
    rows = service.list_api_tokens(db, actor)
    return Page[TokenOut](items=[TokenOut.model_validate(r) for r in rows])


@router.delete("/auth/tokens/{token_id}", status_code=204)
def revoke_token(token_id: uuid.UUID, actor: CurrentActor, db: DbSession) -> Response:
    service.revoke_api_token(db, actor, token_id)
    return Response(status_code=204)
