"""A real OpenID provider on loopback for the tests: `oidc-provider-mock` (an OpenID Connect
provider made for testing, built on Authlib's server parts), served by werkzeug in a thread.

It is the real thing end to end: discovery, JWKS, its own login page (type an email as the
subject, press Authorize), authorization codes, the token endpoint, end_session. On top, for
the negative tests, a provider that misbehaves the way a broken or hostile one would: a small
WSGI layer may re-sign the ID token it issues with one thing wrong (`fault`), and the signing
key can be rotated (`rotate_key`). Nothing of ours is mocked: the app talks to it over HTTP.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import flask
import httpx
import oidc_provider_mock
import werkzeug.serving
from authlib import jose
from joserfc import jwt
from joserfc.jwk import RSAKey

# "resigned" changes nothing but re-signs: the control that proves re-signing alone is fine.
FAULTS = ("resigned", "wrong_audience", "expired", "bad_signature", "replayed_nonce")


class _Quiet(werkzeug.serving.WSGIRequestHandler):
    def log(self, *_args: Any, **_kwargs: Any) -> None:
        pass


class Provider:
    def __init__(self) -> None:
        self.app = oidc_provider_mock.app(require_nonce=True)
        self.app.before_request(self._capture_storage)
        self.storage: Any = None
        self.fault: str | None = None
        self.nonces: list[str] = []  # of every ID token issued, in order
        self.jwks_fetches = 0
        self.down = False  # answers 503 to everything, as a provider in trouble would
        self.server = werkzeug.serving.make_server(
            "127.0.0.1", 0, self._wsgi, threaded=True, request_handler=_Quiet
        )
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    # --- what tests use -----------------------------------------------------------------

    def set_user(self, email: str, **claims: Any) -> None:
        """The person behind subject `email` (typed on the login page), with their claims."""
        body = {"email": email, "email_verified": True, "name": email.split("@")[0], **claims}
        body = {key: value for key, value in body.items() if value is not None}
        response = httpx.put(f"{self.url}/users/{quote(email)}", json=body, timeout=5)
        assert response.status_code == 204, response.text

    def authorize(self, authorization_url: str, email: str) -> str:
        """Sign in on the provider's login page as `email`: the redirect back (callback URL)."""
        response = httpx.post(authorization_url, data={"sub": email}, timeout=5)
        assert response.status_code in (302, 303), response.text
        return response.headers["location"]

    def rotate_key(self) -> None:
        """A new signing key: tokens from now on name a key the JWKS had not shown before."""
        self._ensure_storage()
        self.storage.jwk = jose.RSAKey.generate_key(is_private=True)

    # --- the server ---------------------------------------------------------------------

    def _capture_storage(self) -> None:
        self.storage = flask.g.oidc_provider_mock_storage

    def _ensure_storage(self) -> None:
        if self.storage is None:
            httpx.get(f"{self.url}/.well-known/openid-configuration", timeout=5)

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Any:
        if self.down:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"down for maintenance"]
        if environ.get("PATH_INFO") == "/jwks":
            self.jwks_fetches += 1
        if environ.get("PATH_INFO") != "/oauth2/token":
            return self.app(environ, start_response)
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, headers
            return lambda _data: None

        body = b"".join(self.app(environ, capture))
        if captured["status"].startswith("200"):
            body = self._rewrite(json.loads(body))
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
        start_response(captured["status"], headers)
        return [body]

    def _rewrite(self, token: dict[str, Any]) -> bytes:
        """The token response, its ID token re-signed with `fault` (if any) applied."""
        private = RSAKey.import_key(self.storage.jwk.as_dict(is_private=True))
        decoded = jwt.decode(token["id_token"], private)
        claims, header = dict(decoded.claims), dict(decoded.header)
        self.nonces.append(claims.get("nonce", ""))
        key = private
        if self.fault == "wrong_audience":
            claims["aud"] = "another-service"
        elif self.fault == "expired":
            claims["iat"], claims["exp"] = int(time.time()) - 7200, int(time.time()) - 3600
        elif self.fault == "replayed_nonce":
            claims["nonce"] = self.nonces[0]
        elif self.fault == "bad_signature":
            key = RSAKey.generate_key(2048)  # same header (kid), another key
        if self.fault:
            token["id_token"] = jwt.encode(header, claims, key)
        return json.dumps(token).encode()

    def serve(self) -> None:
        self.server.serve_forever(poll_interval=0.05)

    def shutdown(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def running_provider() -> Iterator[Provider]:
    provider = Provider()
    thread = threading.Thread(target=provider.serve, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        provider.shutdown()
        thread.join(5)
