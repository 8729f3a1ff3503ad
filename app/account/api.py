"""`/me`, and the two ways a session starts (signing in, accepting an invitation), which answer
with the account."""

from __future__ import annotations

import uuid
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from app.account import home, service
from app.account.schemas import HomeOut, MeCouncilOut, MeOut, SessionStarted, TaskOut
from app.auth import oidc
from app.auth import service as auth
from app.auth.api import set_session_cookie
from app.auth.models import CouncilSignIn, User
from app.auth.schemas import LoginRequest, SsoSettingsIn, SsoSettingsOut, UserOut, UserUpdate
from app.config import get_settings
from app.core.actor import Via
from app.councils.schemas import CouncilOut, InvitationAccept
from app.dependencies import CurrentActor, DbSession, client_ip

router = APIRouter(tags=["auth"])


def me_out(me: service.Me) -> MeOut:
    return MeOut(
        id=me.user.id,
        email=me.user.email,
        name=me.user.name,
        council=(
            MeCouncilOut(
                **CouncilOut.model_validate(me.council).model_dump(), po_required=me.po_required
            )
            if me.council
            else None
        ),
        roles=me.user.roles,
        is_platform_admin=me.user.is_platform_admin,
        officer_id=me.officer_id,
        csrf_token=me.csrf_token,
        today=me.today,
        current_week=me.current_week,
        two_factor_setup_required=me.two_factor_setup_required,
        signed_in_with=me.signed_in_with,
    )


def _session_started(
    db: Session, request: Request, response: Response, user: User, token: str
) -> SessionStarted:
    set_session_cookie(request, response, token)
    actor = auth.actor_for(user, Via.session, token)
    return SessionStarted(
        user=me_out(service.describe(db, actor)), csrf_token=auth.csrf_token_for(token)
    )


@router.get("/me", response_model=MeOut)
def me(actor: CurrentActor, db: DbSession) -> MeOut:
    return me_out(service.describe(db, actor))


@router.get("/home", response_model=HomeOut, tags=["account"])
def what_needs_doing(actor: CurrentActor, db: DbSession) -> HomeOut:
    """What needs doing now, with counts and the page to go to, for each of the actor's roles."""
    return HomeOut(
        tasks=[TaskOut.model_validate(t, from_attributes=True) for t in home.todo(db, actor)]
    )


@router.post(
    "/auth/login",
    response_model=SessionStarted,
    responses={
        401: {"description": "Wrong email, password or code; or a code is needed"},
        429: {"description": "Too many failures"},
    },
)
def login(
    body: LoginRequest, request: Request, response: Response, db: DbSession
) -> SessionStarted:
    """Email and password; with two-factor sign-in on, also `totp` (or `recovery_code`): without
    it the answer is 401 of type /problems/second-factor-required."""
    user, token = auth.login(
        db,
        str(body.email),
        body.password,
        _client(request),
        auth.SecondFactor(totp=body.totp, recovery_code=body.recovery_code),
    )
    return _session_started(db, request, response, user, token)


def _client(request: Request) -> auth.Client:
    return auth.Client(ip=client_ip(request), user_agent=request.headers.get("user-agent"))


@router.post(
    "/invitations/{token}/accept",
    response_model=SessionStarted,
    responses={409: {"description": "Used or expired"}},
)
def accept_invitation(
    token: Annotated[str, Path(max_length=100, pattern=r"^[A-Za-z0-9_-]+$")],
    body: InvitationAccept,
    request: Request,
    response: Response,
    db: DbSession,
) -> SessionStarted:
    user, session_token = service.accept_invitation(db, token, body.password)
    return _session_started(db, request, response, user, session_token)


@router.patch(
    "/users/{user_id}",
    response_model=UserOut,
    tags=["councils"],
    responses={409: {"description": "Would leave the council without an admin"}},
)
def update_user(
    user_id: uuid.UUID, body: UserUpdate, actor: CurrentActor, db: DbSession
) -> UserOut:
    return UserOut.model_validate(service.update_member(db, actor, user_id, body))


# --- single sign-on -------------------------------------------------------------------------

SSO_STATE_COOKIE = "tp_sso_state"
SSO_COOKIE_PATH = "/api/v1/auth/sso"


def _callback_url() -> str:
    return f"{get_settings().public_url}/api/v1/auth/sso/callback"


def _sso_failed(reason: str) -> RedirectResponse:
    response = RedirectResponse(f"/sign-in/sso-failed?{urlencode({'reason': reason})}", 303)
    response.delete_cookie(SSO_STATE_COOKIE, path=SSO_COOKIE_PATH)
    return response


@router.get(
    "/auth/sso/start",
    status_code=303,
    response_class=RedirectResponse,
    responses={303: {"description": "To the council's provider, or to a page saying why not"}},
)
def sso_start(
    email: Annotated[str, Query(max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")],
    request: Request,
    db: DbSession,
) -> Response:
    """Send the person to their council's provider (authorization code, PKCE, state, nonce)."""
    row = oidc.provider_for_email(db, email)
    if row is None:
        return _sso_failed("not_configured")
    try:
        url, state = oidc.start(db, row, email, _callback_url())
    except oidc.SsoRefused as exc:
        return _sso_failed(exc.reason)
    response = RedirectResponse(url, 303)
    response.set_cookie(
        SSO_STATE_COOKIE,
        state,
        max_age=int(oidc.STATE_VALID.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=get_settings().cookie_secure or request.url.scheme == "https",
        path=SSO_COOKIE_PATH,
    )
    return response


@router.get(
    "/auth/sso/callback",
    status_code=303,
    response_class=RedirectResponse,
    responses={303: {"description": "Into the SPA signed in, or to a page saying why not"}},
)
def sso_callback(
    request: Request,
    db: DbSession,
    code: Annotated[str | None, Query(max_length=2000)] = None,
    state: Annotated[str | None, Query(max_length=200)] = None,
    error: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """The provider sends the person back here; every check passed, they are signed in."""
    if error or not code or not state:
        return _sso_failed("provider_refused" if error else "incomplete")
    try:
        verified = oidc.finish(
            db, state, code, request.cookies.get(SSO_STATE_COOKIE), _callback_url()
        )
        _user, token = service.sso_sign_in(db, verified, _client(request))
    except oidc.SsoRefused as exc:
        return _sso_failed(exc.reason)
    response = RedirectResponse("/", 303)
    response.delete_cookie(SSO_STATE_COOKIE, path=SSO_COOKIE_PATH)
    set_session_cookie(request, response, token)
    return response


def _sign_in_out(row: CouncilSignIn) -> SsoSettingsOut:
    return SsoSettingsOut(
        issuer=row.issuer,
        client_id=row.client_id,
        client_secret_set=bool(row.client_secret),
        email_domains=list(row.email_domains or []),
        create_officers=bool(row.create_officers),
        require_two_factor=bool(row.require_two_factor),
        redirect_uri=_callback_url(),
    )


@router.get("/councils/{council_id}/sso", response_model=SsoSettingsOut, tags=["councils"])
def get_sign_in_settings(council_id: uuid.UUID, actor: CurrentActor, db: DbSession) -> Any:
    """The council's sign-in settings (its council admins only; the secret is never shown)."""
    return _sign_in_out(service.sign_in_settings(db, actor, council_id))


@router.put("/councils/{council_id}/sso", response_model=SsoSettingsOut, tags=["councils"])
def put_sign_in_settings(
    council_id: uuid.UUID, body: SsoSettingsIn, actor: CurrentActor, db: DbSession
) -> Any:
    """Register the council's OpenID Connect provider (issuer null turns single sign-on off)."""
    return _sign_in_out(service.configure_sign_in(db, actor, council_id, body))
