"""Request ids, access logs, security headers, body limits and the limit on requests in
flight, as plain ASGI middleware (cheap per request)."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
import weakref
from collections.abc import Mapping, Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

import structlog
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger("talentpool.access")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

APP_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; form-action 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
# FastAPI's Swagger UI page loads its script and styles from a CDN and starts with inline script.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        path: str = scope["path"]
        structlog.contextvars.bind_contextvars(request_id=request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        started_response = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, started_response
            if message["type"] == "http.response.start":
                status = message["status"]
                started_response = True
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = request_id
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
                headers["X-Frame-Options"] = "DENY"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
                headers["Content-Security-Policy"] = DOCS_CSP if path == "/api/docs" else APP_CSP
                if scope.get("scheme") == "https":
                    headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
                if path.startswith("/api/"):
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # Whatever escaped the app's handlers still gets a problem+json with the request id
            # and the security headers, unless the answer had already begun.
            if started_response:
                raise
            log.exception("unhandled_error")
            await _server_error(request_id)(scope, receive, send_with_headers)
        finally:
            log.info(
                "request",
                method=scope["method"],
                path=path,
                status=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
            )
            structlog.contextvars.unbind_contextvars("request_id")


Network = IPv4Network | IPv6Network


def _address(text: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(text.strip())
    except ValueError:
        return None


def forwarded_client(peer: str, forwarded_for: Sequence[str], trusted: Sequence[Network]) -> str:
    """The client's address: the direct peer, unless it is a trusted proxy; then X-Forwarded-For
    is walked from the right (each entry was added by the proxy after it) to the first address
    that is not a trusted proxy. Anything left of that was written by the client: ignored."""
    client = peer
    hops = [hop for value in forwarded_for for hop in value.split(",") if hop.strip()]
    while (address := _address(client)) is not None and any(address in n for n in trusted):
        if not hops:
            break
        hop = hops.pop().strip()
        if _address(hop) is None:
            break  # a trusted proxy wrote something that is not an address: stop at the proxy
        client = hop
    return client


class TrustedProxyMiddleware:
    """Sets the request's client address and scheme from X-Forwarded-For and X-Forwarded-Proto
    only when the direct peer is one of the trusted proxies (TP_TRUSTED_PROXIES). The server
    runs without uvicorn's own proxy headers, which trust loopback whatever it sends."""

    def __init__(self, app: ASGIApp, trusted: Sequence[str]) -> None:
        self.app = app
        self.trusted = [ip_network(entry, strict=False) for entry in trusted]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.trusted and scope.get("client"):
            peer, port = scope["client"]
            peer_address = _address(peer)
            if peer_address is not None and any(peer_address in n for n in self.trusted):
                headers = Headers(scope=scope)
                client = forwarded_client(peer, headers.getlist("x-forwarded-for"), self.trusted)
                scope = {**scope, "client": (client, port if client == peer else 0)}
                proto = headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
                if proto in ("http", "https"):
                    scope["scheme"] = proto
        await self.app(scope, receive, send)


def _server_error(request_id: str) -> JSONResponse:
    body = {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "Something went wrong on our side. It has been logged.",
        "request_id": request_id,
    }
    return JSONResponse(body, status_code=500, media_type="application/problem+json")


def _refusal(status: int, title: str, detail: str) -> JSONResponse:
    """A problem answer that ends the connection: the rest of the body is never read."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return JSONResponse(
        body,
        status_code=status,
        media_type="application/problem+json",
        headers={"Connection": "close"},
    )


class _TooLarge(Exception):
    pass


class _Disconnected(Exception):
    pass


class BodyLimitMiddleware:
    """Reads each request's whole body before the app sees it, within a size limit and a time
    limit, so that a slow or huge body never holds a slot of ConcurrencyLimitMiddleware (which
    sits inside this one) nor fills memory.

    - Content-Length over the limit: 413 before reading anything; a chunked body is counted as
      it arrives and refused (413) once over.
    - A body not complete within `timeout` seconds: 408.
    The app then receives the body in one message, as if it had just arrived.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        timeout: float,
        limits_by_path: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.limits_by_path = dict(limits_by_path or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits_by_path.get(scope["path"], self.max_bytes)
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            refusal = (
                _refusal(413, "Content Too Large", f"Request bodies are limited to {limit} bytes.")
                if declared.isdigit()
                else _refusal(400, "Bad Request", "The Content-Length header is not a number.")
            )
            await refusal(scope, receive, send)
            return
        try:
            async with asyncio.timeout(self.timeout):
                body = await _read_body(receive, limit)
        except TimeoutError:
            detail = f"The request body did not arrive within {self.timeout:g} seconds."
            await _refusal(408, "Request Timeout", detail)(scope, receive, send)
            return
        except _TooLarge:
            detail = f"Request bodies are limited to {limit} bytes."
            await _refusal(413, "Content Too Large", detail)(scope, receive, send)
            return
        except _Disconnected:
            return
        await self.app(scope, _replay(body, receive), send)


async def _read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected()
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _TooLarge()
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body in one message, then the server's own receive (which reports a disconnect)."""
    delivered = False

    async def replayed() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ConcurrencyLimitMiddleware:
    """At most `limit` requests inside the app at once (per process); the rest wait here, in
    the event loop, without holding a thread. Sits inside BodyLimitMiddleware: a request takes
    its slot only once its body is in, so slow bodies hold no slot.

    Sync dependencies and endpoints share a pool of 40 threads, and a request hops threads
    between the dependency that opens its transaction and its endpoint. With more requests in
    flight than threads, every thread could end up waiting for a database lock (SQLite's
    BEGIN IMMEDIATE) or a pooled connection held by a request that is itself waiting for a
    thread: nothing moved until timeouts fired (50 concurrent bookings on SQLite: 30 s stalls
    and 500s; see bench/bookings.py). Keep the limits' sum below the thread count and the
    pool size.

    With `read_limit`, requests that only read (GET, HEAD, OPTIONS) have slots of their own:
    on SQLite they never wait for the write lock, so they need not queue behind writes.
    """

    def __init__(self, app: ASGIApp, limit: int, read_limit: int | None = None) -> None:
        self.app = app
        self.limits = {"write": limit, "read": read_limit or limit}
        self.separate_reads = read_limit is not None
        self._semaphores: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, dict[str, asyncio.Semaphore]
        ] = weakref.WeakKeyDictionary()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        semaphores = self._semaphores.get(loop)
        if semaphores is None:
            shared = asyncio.Semaphore(self.limits["write"])
            semaphores = {"write": shared, "read": shared}
            if self.separate_reads:
                semaphores["read"] = asyncio.Semaphore(self.limits["read"])
            self._semaphores[loop] = semaphores
        kind = "read" if scope["method"] in READ_ONLY_METHODS else "write"
        async with semaphores[kind]:
            await self.app(scope, receive, send)
