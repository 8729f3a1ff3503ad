from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response

from app.auth import credentials, oidc, service
from app.auth.schemas import (
    DiscoverOut,
    DiscoverRequest,
    PasswordChange,
    PasswordResetComplete,
    PasswordResetRequest,
    PasswordResetRequested,
    RecoveryCodes,
    SessionOut,
    TokenCreate,
    TokenCreated,
    TokenOut,
    TotpConfirm,
    TotpReset,
    TotpStarted,
    TwoFactorOut,
)
from app.config import get_settings
from app.core.pagination import Page
from app.core.tokens import token_digest
from app.dependencies import SESSION_COOKIE, CurrentActor, DbSession, client_ip

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


@router.post(
    "/auth/logout",
    status_code=204,
    responses={
        204: {
            "description": "Signed out. After single sign-on, the header "
            "X-End-Session-URL names the provider's own sign-out page, when it has one."
        }
    },
)
def logout(actor: CurrentActor, db: DbSession, response: Response) -> Response:
    ended = service.logout(db, actor)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    if ended is not None and ended.sso_council_id is not None:
        url = oidc.end_session_url(
            ended.sso_council_id,
            service.sign_in_settings(db, ended.sso_council_id),
            ended.id_token,
            f"{get_settings().public_url}/sign-in",
        )
        if url:
            response.headers["X-End-Session-URL"] = url
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


# --- sessions -------------------------------------------------------------------------------


@router.get("/auth/sessions", response_model=Page[SessionOut])
def list_sessions(actor: CurrentActor, db: DbSession) -> Page[SessionOut]:
    """Your sessions still alive (browser, when, where from), the most recent first."""
    current = token_digest(actor.session_token) if actor.session_token else None
    return Page[SessionOut](
        items=[
            SessionOut(
                id=row.id,
                created_at=row.created_at,
                last_seen_at=row.last_seen_at,
                method=row.method,
                device=service.describe_device(row.user_agent),
                ip=row.ip,
                current=row.token_hash == current,
            )
            for row in service.list_sessions(db, actor)
        ]
    )


@router.delete("/auth/sessions/{session_id:uuid}", status_code=204)
def end_session(session_id: uuid.UUID, actor: CurrentActor, db: DbSession) -> Response:
    service.end_session(db, actor, session_id)
    return Response(status_code=204)


@router.post("/auth/sessions/end-others", status_code=204)
def end_other_sessions(actor: CurrentActor, db: DbSession) -> Response:
    """Sign out everywhere else: every session but this one ends."""
    service.end_other_sessions(db, actor)
    return Response(status_code=204)


# --- passwords ------------------------------------------------------------------------------


@router.post(
    "/auth/password",
    status_code=204,
    responses={401: {"description": "Current password wrong"}, 429: {"description": "Limits"}},
)
def change_password(
    body: PasswordChange, request: Request, actor: CurrentActor, db: DbSession
) -> Response:
    """A new password (the current one is needed); your other sessions end."""
    credentials.change_password(
        db, actor, body.current_password, body.new_password, client_ip(request)
    )
    return Response(status_code=204)


@router.post(
    "/auth/password-reset",
    status_code=202,
    response_model=PasswordResetRequested,
    responses={429: {"description": "Too many"}},
)
def request_password_reset(
    body: PasswordResetRequest, request: Request, db: DbSession
) -> PasswordResetRequested:
    """Email a reset link (one hour, once). The same answer whatever the email."""
    credentials.request_reset(db, str(body.email), client_ip(request))
    return PasswordResetRequested()


@router.post(
    "/auth/password-reset/complete",
    status_code=204,
    responses={409: {"description": "Link used, expired or unknown"}},
)
def complete_password_reset(body: PasswordResetComplete, db: DbSession) -> Response:
    """Set the new password; every session of the account ends."""
    credentials.complete_reset(db, body.token, body.password)
    return Response(status_code=204)


# --- two-factor sign-in ---------------------------------------------------------------------


@router.get("/auth/totp", response_model=TwoFactorOut)
def two_factor_status(actor: CurrentActor, db: DbSession) -> TwoFactorOut:
    enabled, left = credentials.two_factor_status(db, actor)
    user = service.get_user(db, actor.user_id)
    required = user is not None and service.two_factor_required(db, user)
    return TwoFactorOut(enabled=enabled, required=required, recovery_codes_left=left)


@router.post(
    "/auth/totp",
    response_model=TotpStarted,
    status_code=201,
    responses={409: {"description": "Already set up"}},
)
def start_two_factor(actor: CurrentActor, db: DbSession) -> TotpStarted:
    """A new secret and its QR code, to add to an authenticator app; confirm with a code."""
    enrolment = credentials.start_two_factor(db, actor)
    return TotpStarted(
        secret=enrolment.secret, otpauth_uri=enrolment.otpauth_uri, qr_svg=enrolment.qr_svg
    )


@router.post(
    "/auth/totp/confirm",
    response_model=RecoveryCodes,
    responses={
        401: {"description": "Wrong code"},
        409: {"description": "Not started, or on already"},
        429: {"description": "Too many"},
    },
)
def confirm_two_factor(
    body: TotpConfirm, request: Request, actor: CurrentActor, db: DbSession
) -> RecoveryCodes:
    """Two-factor sign-in is on; ten recovery codes, shown this once."""
    codes = credentials.confirm_two_factor(db, actor, body.code, client_ip(request))
    return RecoveryCodes(recovery_codes=codes)


@router.post(
    "/auth/totp/reset",
    status_code=204,
    responses={
        401: {"description": "Wrong code"},
        409: {"description": "Not set up"},
        429: {"description": "Too many"},
    },
)
def reset_two_factor(
    body: TotpReset, request: Request, actor: CurrentActor, db: DbSession
) -> Response:
    """Turn two-factor sign-in off, proven with a code or a recovery code (to set it up again)."""
    credentials.reset_two_factor(db, actor, body.code, body.recovery_code, client_ip(request))
    return Response(status_code=204)


# --- single sign-on: which way to sign in ---------------------------------------------------


@router.post("/auth/discover", response_model=DiscoverOut)
def discover(body: DiscoverRequest, db: DbSession) -> DiscoverOut:
    """Email first: "sso" when the email's domain has its council's provider, else "password"."""
    row = oidc.provider_for_email(db, str(body.email))
    return DiscoverOut(method="sso" if row is not None else "password")
