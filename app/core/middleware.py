"""Request ids, access logs, security headers, body limits and the limit on requests in
flight, as plain ASGI middleware (cheap per request)."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
import weakref
from collections.abc import Mapping

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
        body, status_code=status, media_type="application/problem+json",
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


class ConcurrencyLimitMiddleware:
    """At most `limit` requests inside the app at once (per process); the rest wait here, in
    the event loop, without holding a thread.

    Sync dependencies and endpoints share a pool of 40 threads, and a request hops threads
    between the dependency that opens its transaction and its endpoint. With more requests in
    flight than threads, every thread could end up waiting for a database lock (SQLite's
    BEGIN IMMEDIATE) or a pooled connection held by a request that is itself waiting for a
    thread: nothing moved until timeouts fired (50 concurrent bookings on SQLite: 30 s stalls
    and 500s; see bench/bookings.py). Keep `limit` below the thread count and the pool size.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self._semaphores: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, asyncio.Semaphore
        ] = weakref.WeakKeyDictionary()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        semaphore = self._semaphores.get(loop)
        if semaphore is None:
            semaphore = self._semaphores[loop] = asyncio.Semaphore(self.limit)
        async with semaphore:
            await self.app(scope, receive, send)
