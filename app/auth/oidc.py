"""Single sign-on with a council's own OpenID Connect provider, through Authlib.

Authorization code flow with PKCE (S256), `state` and `nonce`. The state is stored (as a
digest, with the nonce and the PKCE verifier) and used up by one guarded DELETE, so a callback
replayed (same state, same code) is refused; it is also bound to the browser that started the
sign-in by a cookie. The provider's discovery document and its keys (JWKS) are cached per
process for `sso_metadata_cache_seconds`; a token signed with a key not seen yet makes Authlib
fetch the keys again at once (rotation). Authlib and joserfc check the ID token: signature
against the provider's keys and the algorithms it announces, `iss` (the discovery document's
issuer), `aud` (our client id; `azp` when there are several), `exp`/`iat`, and `nonce`.

Microsoft Entra ID: register the council's tenant-specific issuer,
`https://login.microsoftonline.com/<tenant id>/v2.0`. Its discovery document names that
issuer, so tokens of other tenants fail the `iss` check. When a multi-tenant endpoint
(`/organizations/v2.0`, `/common/v2.0`) is registered instead, its discovery document's issuer
holds the template `{tenantid}`: the token's `tid` claim fills it, and the token's `iss` must
be exactly that (a token without `tid` is refused); the council's email domains still decide
who gets in. Entra ID tokens often carry no `email` claim (or one that is not verified, since
`email` is editable in some tenants); then `preferred_username`, the user principal name, is
the address. It counts as verified only in tokens from Entra (`tid` present, issuer on
login.microsoftonline.com), because Entra lets a tenant use a UPN domain only once the tenant
has proven it owns it, and a domain can be verified in one tenant only.
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid
import warnings
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.deprecate import AuthlibDeprecationWarning
from authlib.integrations.base_client import BaseApp, OAuthError
from authlib.integrations.base_client.sync_app import OAuth2Mixin
from authlib.integrations.base_client.sync_openid import OpenIDMixin
from joserfc.errors import BadSignatureError, JoseError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.auth import crypto
from app.auth.models import CouncilSignIn, SsoState
from app.config import get_settings
from app.core import clock
from app.core.errors import DomainError
from app.core.tokens import token_digest

with warnings.catch_warnings():
    # Authlib 1.9 asks for the `httpx2` fork; the project's httpx works the same.
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import OAuth2Client

STATE_VALID = timedelta(minutes=10)
ENTRA_HOST = "login.microsoftonline.com"


class SsoRefused(DomainError):
    """A sign-in through a provider that did not end with a session. `reason` is a short
    code the SPA turns into a page; nothing was written but the used-up state."""

    status = 400
    title = "Single sign-on failed"
    type = "/problems/sso-failed"
    keep_changes = True  # the state stays used up

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason

    def extra(self) -> dict[str, Any]:
        return {"reason": self.reason}


class _Provider(OAuth2Mixin, OpenIDMixin, BaseApp):  # type: ignore[misc]
    client_cls = OAuth2Client


_providers: dict[tuple[Any, ...], tuple[float, _Provider]] = {}
_lock = threading.Lock()


def _provider(row: CouncilSignIn) -> _Provider:
    """The council's provider client, cached with its discovery document and keys."""
    settings = get_settings()
    key = (row.council_id, row.issuer, row.client_id, row.client_secret)
    with _lock:
        cached = _providers.get(key)
        if cached and time.monotonic() - cached[0] < settings.sso_metadata_cache_seconds:
            return cached[1]
    assert row.issuer and row.client_id
    provider = _Provider(
        framework=None,
        client_id=row.client_id,
        client_secret=crypto.decrypt(row.client_secret) if row.client_secret else None,
        server_metadata_url=row.issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={
            "scope": "openid email profile",
            "code_challenge_method": "S256",
            "timeout": settings.sso_http_timeout_seconds,
        },
    )
    with _lock:
        _providers[key] = (time.monotonic(), provider)
    return provider


def forget_cached(council_id: uuid.UUID) -> None:
    """Drop a council's cached provider (its settings changed)."""
    with _lock:
        for key in [key for key in _providers if key[0] == council_id]:
            del _providers[key]


def provider_for_email(session: Session, email: str) -> CouncilSignIn | None:
    """The council sign-in settings whose provider covers the email's domain, if any."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    rows = session.scalars(select(CouncilSignIn).where(CouncilSignIn.issuer.is_not(None)))
    return next((row for row in rows if domain in row.email_domains), None)


def _unreachable(exc: Exception) -> SsoRefused:
    return SsoRefused(
        "provider_unavailable",
        "Your council's sign-in service did not answer. Try again in a few minutes; if it "
        f"goes on, tell your council's IT team. ({type(exc).__name__})",
    )


def start(session: Session, row: CouncilSignIn, email: str, redirect_uri: str) -> tuple[str, str]:
    """The provider's authorization URL for this sign-in, and its state (for the cookie)."""
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    # Sign-ins started and never finished are kept no longer than they could be used.
    session.execute(delete(SsoState).where(SsoState.created_at <= clock.now() - STATE_VALID))
    try:
        result = _provider(row).create_authorization_url(
            redirect_uri, state=state, nonce=nonce, code_verifier=verifier, login_hint=email
        )
    except (httpx.HTTPError, ValueError, KeyError, RuntimeError) as exc:
        raise _unreachable(exc) from exc
    session.add(
        SsoState(
            state_hash=token_digest(state),
            council_id=row.council_id,
            nonce=nonce,
            code_verifier=verifier,
            created_at=clock.now(),
        )
    )
    return str(result["url"]), state


@dataclass(frozen=True)
class Verified:
    """Who the provider says signed in, after every check."""

    council_id: uuid.UUID
    email: str
    name: str
    id_token: str


def _claim_state(session: Session, state: str, browser_state: str | None) -> SsoState:
    if not browser_state or not secrets.compare_digest(state, browser_state):
        raise SsoRefused(
            "state_mismatch", "This sign-in was not started in this browser. Start again."
        )
    row = session.execute(
        delete(SsoState)
        .where(
            SsoState.state_hash == token_digest(state),
            SsoState.created_at > clock.now() - STATE_VALID,
        )
        .returning(SsoState.council_id, SsoState.nonce, SsoState.code_verifier)
    ).first()
    if row is None:
        raise SsoRefused(
            "state_used", "This sign-in link has been used or has expired. Start again."
        )
    return SsoState(council_id=row[0], nonce=row[1], code_verifier=row[2])


def _issuer_check(metadata: dict[str, Any]) -> Any:
    """The `iss` check: the discovery document's issuer, with Entra's `{tenantid}` template
    filled from the token's own `tid`."""
    expected = str(metadata.get("issuer", ""))

    def check(claims: Any, value: Any) -> bool:
        if "{tenantid}" in expected:
            tid = claims.get("tid")
            return (
                isinstance(tid, str) and bool(tid) and value == expected.replace("{tenantid}", tid)
            )
        return bool(value == expected)

    return check


def finish(
    session: Session,
    state: str,
    code: str,
    browser_state: str | None,
    redirect_uri: str,
) -> Verified:
    """Exchange the code (with the PKCE verifier) and check the ID token, or SsoRefused."""
    pending = _claim_state(session, state, browser_state)
    row = session.get(CouncilSignIn, pending.council_id)
    if row is None or not row.issuer:
        raise SsoRefused("not_configured", "Your council no longer signs in this way.")
    provider = _provider(row)
    try:
        token = provider.fetch_access_token(
            redirect_uri, code=code, code_verifier=pending.code_verifier
        )
    except OAuthError as exc:
        raise SsoRefused("token_refused", f"The sign-in service refused: {exc.error}") from exc
    except (httpx.HTTPError, ValueError, KeyError, RuntimeError) as exc:
        raise _unreachable(exc) from exc
    claims = _checked_claims(provider, token, pending.nonce)
    email = _verified_email(row, claims)
    return Verified(
        council_id=row.council_id,
        email=email,
        name=str(claims.get("name") or email.split("@")[0])[:120],
        id_token=str(token["id_token"]),
    )


def _checked_claims(provider: _Provider, token: dict[str, Any], nonce: str) -> dict[str, Any]:
    if "id_token" not in token:
        raise SsoRefused("invalid_token", "The sign-in service sent no ID token.")
    try:
        try:
            claims = _parse(provider, token, nonce)
        except BadSignatureError:
            # A token without `kid` signed with a key we have not cached yet (rotation by a
            # provider that names no keys): fetch the keys again once, then decide.
            provider.fetch_jwk_set(force=True)
            claims = _parse(provider, token, nonce)
    except JoseError as exc:
        raise SsoRefused(
            "invalid_token",
            "The sign-in service's answer failed our checks "
            f"({exc.error}{': ' + exc.description if exc.description else ''}). "
            "Nothing was changed; tell your council's IT team if it goes on.",
        ) from exc
    except (httpx.HTTPError, ValueError, KeyError, RuntimeError) as exc:
        raise _unreachable(exc) from exc
    return claims


def _parse(provider: _Provider, token: dict[str, Any], nonce: str) -> dict[str, Any]:
    """Authlib's checks of the ID token: signature (keys from the provider's JWKS; fetched
    again when the token names an unknown `kid`), iss, aud, azp, exp, iat and nonce."""
    metadata = provider.load_server_metadata()
    options = {
        "iss": {"essential": True, "validate": _issuer_check(metadata)},
        "aud": {"essential": True, "value": provider.client_id},
        "nonce": {"essential": True, "value": nonce},
    }
    claims = provider.parse_id_token(token, nonce, claims_options=options, leeway=60)
    return dict(claims)


def _verified_email(row: CouncilSignIn, claims: dict[str, Any]) -> str:
    """The verified email in the council's domains, or SsoRefused."""
    email = claims.get("email")
    verified = claims.get("email_verified") is True
    entra = bool(claims.get("tid")) and ENTRA_HOST in str(claims.get("iss", ""))
    if entra and (not email or not verified) and claims.get("preferred_username"):
        email, verified = claims["preferred_username"], True
    if not isinstance(email, str) or "@" not in email:
        raise SsoRefused("no_email", "The sign-in service did not tell us your email address.")
    email = email.strip().lower()
    if not verified:
        raise SsoRefused(
            "email_unverified",
            "The sign-in service has not verified your email address, so we cannot use it.",
        )
    if email.rsplit("@", 1)[1] not in row.email_domains:
        raise SsoRefused(
            "email_outside_domains",
            f"{email} is not at one of your council's email domains for this sign-in.",
        )
    return email


def end_session_url(
    council_id: uuid.UUID, row: CouncilSignIn | None, id_token: str | None, after: str
) -> str | None:
    """The provider's own sign-out (RP-initiated logout), when it offers one."""
    if row is None or not row.issuer or row.council_id != council_id:
        return None
    try:
        provider = _provider(row)
        if not provider.load_server_metadata().get("end_session_endpoint"):
            return None
        result = provider.create_logout_url(
            post_logout_redirect_uri=after, id_token_hint=id_token, client_id=row.client_id
        )
    except (httpx.HTTPError, ValueError, KeyError, RuntimeError):
        return None
    return str(result["url"])
