"""A real Stripe stand-in and a real webhook endpoint, both on loopback.

- `localstripe_url`: localstripe (tests/payments/localstripe_server.py) in a subprocess on a free
  port, for the whole session; the official `stripe` package talks to it through `api_base`.
- `webhook_receiver`: a FastAPI app on uvicorn in a thread with
  `POST /api/v1/payments/stripe/webhook`, which verifies the signature and records and handles
  the event in the committed test database, as the real endpoint will. It is registered with
  localstripe, so the signed events localstripe sends really arrive over HTTP.
- `stripe_events`: the table, made from the model until its Alembic revision exists.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import httpx
import pytest
import stripe
import uvicorn
from fastapi import Depends, FastAPI, Header, Request, Response
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.core.problems import install_handlers
from app.db import Base, make_session_factory
from app.dependencies import DbSession
from app.payments import service as payments
from app.payments.stripe_gateway import StripeGateway

API_KEY = "sk_test_talentpool"  # localstripe accepts any key that starts with sk_
WEBHOOK_SECRET = "whsec_talentpool_tests"
WEBHOOK_PATH = "/api/v1/payments/stripe/webhook"
# localstripe sends every event to every registered webhook: the tests register one, under one id.
WEBHOOK_ID = "talentpool-tests"
WEBHOOK_EVENTS = ["payment_intent.succeeded", "payment_intent.payment_failed"]
SERVER_SCRIPT = Path(__file__).with_name("localstripe_server.py")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(predicate: Callable[[], bool], timeout: float = 15.0, what: str = "it") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


# localstripe ----------------------------------------------------------------------------------


class LocalStripe:
    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, str(SERVER_SCRIPT), "--port", str(self.port)],
                stdout=out,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )

    def answers(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"localstripe exited ({self.process.returncode}):\n{self.output()}")
        try:
            # Served without an API key: proves the app itself answers, not just the socket.
            return httpx.get(f"{self.url}/js.stripe.com/v3/", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@pytest.fixture(scope="session")
def localstripe_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a localstripe server on loopback (its output: localstripe.log)."""
    server = LocalStripe(tmp_path_factory.mktemp("localstripe") / "localstripe.log")
    try:
        wait_until(server.answers, timeout=30, what="localstripe to answer")
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def stripe_client(localstripe_url: str) -> stripe.StripeClient:
    """The `stripe` package pointed at localstripe, for what the browser or Stripe itself does.

    No retries: localstripe answers unsupported calls with 500, which the library would retry.
    """
    return stripe.StripeClient(
        API_KEY, base_addresses={"api": localstripe_url}, max_network_retries=0
    )


# The gateway ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SentRequest:
    method: str
    url: str
    headers: Mapping[str, str]
    body: str


class RecordingHttpClient(stripe.RequestsClient):
    """The `stripe` package's own HTTP client, noting each request it sends (headers included)."""

    def __init__(self) -> None:
        super().__init__(timeout=30)
        self.sent: list[SentRequest] = []

    def request(  # type: ignore[override]
        self, method: str, url: str, headers: Mapping[str, str] | None, post_data: Any = None
    ) -> Any:
        body = post_data.decode() if isinstance(post_data, bytes) else str(post_data or "")
        self.sent.append(SentRequest(method.upper(), url, dict(headers or {}), body))
        return super().request(method, url, headers, post_data)

    def posts_to(self, path: str) -> list[SentRequest]:
        return [r for r in self.sent if r.method == "POST" and httpx.URL(r.url).path == path]


@pytest.fixture
def http_client() -> RecordingHttpClient:
    return RecordingHttpClient()


@pytest.fixture
def gateway(localstripe_url: str, http_client: RecordingHttpClient) -> StripeGateway:
    return StripeGateway(
        API_KEY, WEBHOOK_SECRET, api_base=localstripe_url, http_client=http_client
    )


# The database table ---------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def stripe_events(committed_engine: Engine) -> None:
    """Until the Alembic revision for stripe_events lands, make the table from the model.

    checkfirst: once the migration creates it, this does nothing.
    """
    Base.metadata.tables["stripe_events"].create(bind=committed_engine, checkfirst=True)


# The webhook receiver -------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """One POST to the webhook endpoint, noted after its transaction committed."""

    body: bytes
    signature: str
    status_code: int
    event_id: str | None
    event_type: str | None
    object_id: str | None
    new: bool | None


@dataclass(frozen=True)
class Payment:
    invoice_id: uuid.UUID
    payment_intent_id: str
    amount_pence: int


class WebhookReceiver:
    def __init__(self) -> None:
        self.url = ""
        self._lock = threading.Lock()
        self._deliveries: list[Delivery] = []
        self._payments: list[Payment] = []

    def on_payment_succeeded(
        self, _session: Session, invoice_id: uuid.UUID, payment_intent_id: str, amount_pence: int
    ) -> None:
        """What invoicing will do (mark the invoice paid); here, note the call."""
        with self._lock:
            self._payments.append(Payment(invoice_id, payment_intent_id, amount_pence))

    def note(self, delivery: Delivery) -> None:
        with self._lock:
            self._deliveries.append(delivery)

    def deliveries(
        self, event_type: str | None = None, object_id: str | None = None
    ) -> list[Delivery]:
        with self._lock:
            return [
                d
                for d in self._deliveries
                if (event_type is None or d.event_type == event_type)
                and (object_id is None or d.object_id == object_id)
            ]

    def payments(self, payment_intent_id: str) -> list[Payment]:
        with self._lock:
            return [p for p in self._payments if p.payment_intent_id == payment_intent_id]

    def wait_for(self, event_type: str, object_id: str, timeout: float = 15.0) -> Delivery:
        """The first accepted delivery of `event_type` about `object_id` (localstripe sends
        each event about a second after the call that caused it)."""
        wait_until(
            lambda: any(d.status_code == 200 for d in self.deliveries(event_type, object_id)),
            timeout=timeout,
            what=f"{event_type} for {object_id} to reach the webhook",
        )
        return next(d for d in self.deliveries(event_type, object_id) if d.status_code == 200)


async def raw_body(request: Request) -> bytes:
    """The body exactly as sent: the signature covers these bytes, not a re-encoding."""
    return await request.body()


def build_webhook_app(
    gateway: StripeGateway, receiver: WebhookReceiver, session_factory: Any
) -> FastAPI:
    """The webhook endpoint as app/payments/api.py will have it, in a FastAPI app of its own."""
    app = FastAPI()
    app.state.session_factory = session_factory
    install_handlers(app)

    @app.post(WEBHOOK_PATH)
    def stripe_webhook(
        request: Request,
        db: DbSession,
        body: Annotated[bytes, Depends(raw_body)],
        stripe_signature: Annotated[str | None, Header()] = None,
    ) -> dict[str, bool]:
        event = gateway.verify_webhook(body, stripe_signature or "")
        new = payments.record_event(db, event)
        payments.handle_event(db, event, receiver.on_payment_succeeded)
        request.state.event = (event.id, event.type, event.data_object.get("id"), new)
        return {"received": True, "new": new}

    @app.middleware("http")
    async def note_delivery(request: Request, call_next: Any) -> Response:
        body = await request.body()
        response: Response = await call_next(request)
        # The request's transaction has committed by now (DbSession commits before the
        # response), so a test that sees the delivery also sees its rows.
        event_id, event_type, object_id, new = getattr(
            request.state, "event", (None, None, None, None)
        )
        receiver.note(
            Delivery(
                body=body,
                signature=request.headers.get("stripe-signature", ""),
                status_code=response.status_code,
                event_id=event_id,
                event_type=event_type,
                object_id=object_id,
                new=new,
            )
        )
        return response

    return app


@pytest.fixture(scope="session")
def webhook_receiver(
    localstripe_url: str, committed_engine: Engine, stripe_events: None
) -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    gateway = StripeGateway(API_KEY, WEBHOOK_SECRET, api_base=localstripe_url)
    app = build_webhook_app(gateway, receiver, make_session_factory(committed_engine))

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        wait_until(lambda: server.started, timeout=15, what="the webhook receiver to start")
        receiver.url = f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
        # localstripe's form: url, secret, optional events[] (only these types are sent).
        answer = httpx.post(
            f"{localstripe_url}/_config/webhooks/{WEBHOOK_ID}",
            data={"url": receiver.url, "secret": WEBHOOK_SECRET, "events[]": WEBHOOK_EVENTS},
        )
        answer.raise_for_status()
        yield receiver
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
