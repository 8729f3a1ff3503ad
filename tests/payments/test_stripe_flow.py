"""Paying an invoice by card, end to end: our app on a real uvicorn server on loopback, a
localstripe of its own (tests/payments/localstripe_server.py) driven by the official `stripe`
package, and the signed webhooks really arriving over HTTP.

The invoice is built through the API: the issuer switches Stripe on, a booking is requested,
confirmed and completed (the clock travels past the week), the issuer runs December's recharge
and issues the invoice. Data is committed (`committed_engine`), each test with councils of its
own. Who may pay, and Stripe being down or switched off, are checked in-process as well, in the
usual rolled-back transaction, on both engines.

This module starts its own localstripe rather than the harness's: localstripe sends every event
to every registered webhook, and the harness's receiver shares the `stripe_events` table, so it
would claim our events first.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
import pytest
import stripe
import uvicorn
from fastapi import FastAPI, Request, Response
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.core import clock
from app.councils.models import CouncilSettings
from app.db import make_session_factory
from app.invoicing.models import Invoice
from app.main import create_app
from app.payments import api as payments_api
from app.payments.models import StripeEvent
from app.payments.stripe_gateway import StripeGateway
from tests.factories import Factory, Member, approved_week
from tests.payments.conftest import (
    API_KEY,
    WEBHOOK_EVENTS,
    WEBHOOK_SECRET,
    LocalStripe,
    free_port,
    wait_until,
)

WEBHOOK = "/api/v1/payments/stripe/webhook"
WEEK = "2026-W50"  # 7 to 13 December 2026
PERIOD = "2026-12"
ISSUE_DAY = date(2027, 1, 6)


@pytest.fixture(autouse=True)
def _january():
    """Runs, issuing and paying happen on 6 January 2027 (the server shares the clock)."""
    with clock.travel_to(ISSUE_DAY):
        yield


# The live server --------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    body: bytes
    signature: str
    status_code: int
    event_id: str | None
    event_type: str | None
    object_id: str | None


@dataclass
class Live:
    url: str
    stripe_url: str
    browser: stripe.StripeClient
    engine: Engine
    _deliveries: list[Delivery] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30)

    def note(self, delivery: Delivery) -> None:
        with self._lock:
            self._deliveries.append(delivery)

    def deliveries(self, event_type: str, object_id: str) -> list[Delivery]:
        with self._lock:
            return [
                d
                for d in self._deliveries
                if d.event_type == event_type and d.object_id == object_id
            ]

    def wait_for(self, event_type: str, object_id: str) -> Delivery:
        """The first delivery of `event_type` about `object_id` our app accepted (200): its
        transaction has committed by then (the request's session commits before answering)."""
        wait_until(
            lambda: any(d.status_code == 200 for d in self.deliveries(event_type, object_id)),
            timeout=20,
            what=f"{event_type} for {object_id} to reach the app",
        )
        return next(d for d in self.deliveries(event_type, object_id) if d.status_code == 200)


def _record_deliveries(app: FastAPI, live: Live) -> None:
    @app.middleware("http")
    async def note(request: Request, call_next: Any) -> Response:
        if request.url.path != WEBHOOK:
            response: Response = await call_next(request)
            return response
        body = await request.body()
        response = await call_next(request)
        try:
            event = json.loads(body)
            meta = (event["id"], event["type"], event["data"]["object"]["id"])
        except (ValueError, KeyError, TypeError):
            meta = (None, None, None)
        live.note(Delivery(body, request.headers.get("stripe-signature", ""),
                           response.status_code, *meta))  # fmt: skip
        return response


@pytest.fixture(scope="module")
def live(committed_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    stripe_server = LocalStripe(tmp_path_factory.mktemp("flow-stripe") / "localstripe.log")
    try:
        wait_until(stripe_server.answers, timeout=30, what="localstripe to answer")
        browser = stripe.StripeClient(
            API_KEY, base_addresses={"api": stripe_server.url}, max_network_retries=0
        )
        app = create_app(session_factory=make_session_factory(committed_engine))
        gateway = StripeGateway(API_KEY, WEBHOOK_SECRET, api_base=stripe_server.url)
        app.dependency_overrides[payments_api.gateway_factory] = lambda: lambda: gateway
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        live = Live(f"http://127.0.0.1:{port}", stripe_server.url, browser, committed_engine)
        _record_deliveries(app, live)
        server = uvicorn.Server(
            uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        )
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        try:
            wait_until(lambda: server.started, timeout=15, what="our app to start")
            answer = httpx.post(
                f"{stripe_server.url}/_config/webhooks/talentpool-flow",
                data={"url": live.url + WEBHOOK, "secret": WEBHOOK_SECRET,
                      "events[]": WEBHOOK_EVENTS},
            )  # fmt: skip
            answer.raise_for_status()
            yield live
        finally:
            server.should_exit = True
            thread.join(timeout=15)
            sock.close()
    finally:
        stripe_server.stop()


# Building an issued invoice through the API -----------------------------------------------


@dataclass
class Deal:
    invoice: dict[str, Any]
    issuer: Any
    issuer_finance: Member
    customer: Any
    customer_finance: Member
    customer_booker: Member

    @property
    def id(self) -> str:
        return str(self.invoice["id"])

    @property
    def stripe_url(self) -> str:
        return f"/api/v1/invoices/{self.id}/stripe"


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def issued_invoice(http: Any, make: Factory, db: Session, stripe_enabled: bool = True) -> Deal:
    """An issued invoice for 2 hours at £45 (net 9000p, VAT 1800p, gross 10800p)."""
    with clock.travel_to(date(2026, 11, 25)):
        issuer = make.council()
        admin = make.user(issuer, "council_admin")
        ok(http.patch(f"/api/v1/councils/{issuer.id}/settings",
                      json={"stripe_enabled": stripe_enabled}, headers=admin.headers))  # fmt: skip
        officer = make.officer(issuer)
        manager = make.user(issuer, "manager")
        issuer_finance = make.user(issuer, "finance")
        approved_week(db, officer, manager, WEEK, 10)
        customer = make.council(finance_email=f"ap-{uuid.uuid4().hex[:8]}@example.gov.uk")
        booker = make.user(customer, "booker")
        customer_finance = make.user(customer, "finance")
        db.commit()
        officer_id = ok(http.get("/api/v1/officers/me", headers=officer.headers))["id"]
        booking = ok(
            http.post(
                "/api/v1/bookings",
                json={"officer_id": officer_id, "week": WEEK, "hours": 2, "purpose": "Planning"},
                headers={**booker.headers, "Idempotency-Key": uuid.uuid4().hex},
            ),
            201,
        )
        ok(http.post(f"/api/v1/bookings/{booking['id']}/confirm", headers=officer.headers))
    with clock.travel_to(date(2027, 1, 4)):
        ok(http.post(f"/api/v1/bookings/{booking['id']}/complete", json={"actual_hours": 2},
                     headers=booker.headers))  # fmt: skip
    [draft] = ok(
        http.post("/api/v1/invoice-runs", json={"period": PERIOD},
                  headers=issuer_finance.headers), 201,
    )["invoices"]  # fmt: skip
    invoice = ok(http.post(f"/api/v1/invoices/{draft['id']}/issue",
                           headers=issuer_finance.headers))  # fmt: skip
    assert (invoice["status"], invoice["gross_pence"]) == ("issued", 10_800)
    return Deal(invoice, issuer, issuer_finance, customer, customer_finance, booker)


@pytest.fixture
def committed_make(committed_engine: Engine) -> Iterator[tuple[Factory, Session]]:
    """A factory whose rows really commit (the live server must see them)."""
    with Session(committed_engine, expire_on_commit=False) as session:
        yield Factory(session), session
        session.rollback()


def stored(engine: Engine, invoice_id: str) -> tuple[Invoice, CouncilSettings]:
    """The invoice and its customer's settings as committed, read in a short session of its own
    (a long one would hold SQLite's write lock against the server)."""
    with Session(engine, expire_on_commit=False) as session:
        invoice = session.get(Invoice, uuid.UUID(invoice_id))
        assert invoice is not None
        settings = session.get(CouncilSettings, invoice.customer_council_id)
        assert settings is not None
        session.expunge_all()
        session.rollback()
        return invoice, settings


def count_events(engine: Engine, event_id: str) -> int:
    with Session(engine) as session:
        return int(session.scalar(
            select(func.count()).select_from(StripeEvent).where(StripeEvent.id == event_id)
        ) or 0)  # fmt: skip


def paid_audits(engine: Engine, invoice_id: str) -> int:
    with Session(engine) as session:
        return int(session.scalar(
            select(func.count()).select_from(AuditEvent).where(
                AuditEvent.entity_id == uuid.UUID(invoice_id), AuditEvent.action == "invoice.paid"
            )
        ) or 0)  # fmt: skip


def confirm_in_browser(browser: stripe.StripeClient, payment_intent_id: str, card: str) -> None:
    """Stripe.js's confirmCardPayment, as localstripe can play it: attach, then confirm (see
    test_stripe_gateway.py's notes on localstripe)."""
    browser.v1.payment_intents.update(payment_intent_id, params={"payment_method": card})
    browser.v1.payment_intents.confirm(payment_intent_id)


def signed(payload: bytes, secret: str = WEBHOOK_SECRET) -> str:
    timestamp = int(time.time())
    mac = hmac.new(secret.encode(), b"%d.%s" % (timestamp, payload), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def event_body(event_type: str, intent: dict[str, Any]) -> bytes:
    return json.dumps({
        "id": f"evt_test{uuid.uuid4().hex[:16]}", "object": "event", "type": event_type,
        "created": int(time.time()), "data": {"object": {"object": "payment_intent", **intent}},
    }).encode()  # fmt: skip


# End to end ---------------------------------------------------------------------------------


def test_an_invoice_paid_by_card_is_marked_paid_by_the_signed_webhook(live: Live, committed_make):
    make, db = committed_make
    with live.http() as http:
        deal = issued_invoice(http, make, db)

        started = ok(http.post(deal.stripe_url, headers=deal.customer_finance.headers))

        pi = started["payment_intent_id"]
        assert pi.startswith("pi_")
        assert started["client_secret"].startswith(f"{pi}_secret_")
        assert (started["amount_pence"], started["currency"]) == (10_800, "gbp")
        invoice, settings = stored(live.engine, deal.id)
        assert invoice.stripe_payment_intent_id == pi and invoice.status == "issued"
        customer_id = settings.stripe_customer_id
        assert customer_id is not None and customer_id.startswith("cus_")
        # The PaymentIntent at Stripe: our invoice id in its metadata, the council's customer.
        at_stripe = live.browser.v1.payment_intents.retrieve(pi)
        assert at_stripe.metadata is not None
        assert at_stripe.metadata["invoice_id"] == deal.id
        assert at_stripe.metadata["invoice_number"] == deal.invoice["number"]
        assert at_stripe.customer == customer_id

        # A retry (a double click, a lost answer) gets the same PaymentIntent and customer.
        assert ok(http.post(deal.stripe_url, headers=deal.customer_finance.headers)) == started
        assert stored(live.engine, deal.id)[1].stripe_customer_id == customer_id
        # With an Idempotency-Key, the retry replays the first answer (issue 8).
        keyed = {**deal.customer_finance.headers, "Idempotency-Key": "pay-1"}
        first = http.post(deal.stripe_url, headers=keyed)
        replayed = http.post(deal.stripe_url, headers=keyed)
        assert ok(first) == ok(replayed) == started
        assert replayed.headers.get("idempotent-replayed") == "true"

        confirm_in_browser(live.browser, pi, "pm_card_visa")

        delivery = live.wait_for("payment_intent.succeeded", pi)
        paid = ok(http.get(f"/api/v1/invoices/{deal.id}", headers=deal.issuer_finance.headers))
        assert paid["status"] == "paid"
        assert paid["payment_reference"] == pi
        assert paid["paid_on"] == ISSUE_DAY.isoformat()
        assert delivery.event_id is not None
        assert count_events(live.engine, delivery.event_id) == 1
        assert paid_audits(live.engine, deal.id) == 2  # one for each council

        # Stripe (or anyone who captured it) sends the same event again: harmless.
        headers = {"Stripe-Signature": delivery.signature, "Content-Type": "application/json"}
        replay = http.post(WEBHOOK, content=delivery.body, headers=headers)
        assert ok(replay) == {"received": True, "new": False}
        again = ok(http.get(f"/api/v1/invoices/{deal.id}", headers=deal.issuer_finance.headers))
        assert (again["status"], again["payment_reference"]) == ("paid", pi)
        assert count_events(live.engine, delivery.event_id) == 1
        assert paid_audits(live.engine, deal.id) == 2

        # Paid: nothing is left to pay by card.
        assert http.post(deal.stripe_url, headers=deal.customer_finance.headers).status_code == 409


def test_forged_unknown_and_out_of_order_events_change_nothing(live: Live, committed_make):
    make, db = committed_make
    with live.http() as http:
        deal = issued_invoice(http, make, db)
        pi = ok(http.post(deal.stripe_url, headers=deal.customer_finance.headers))[
            "payment_intent_id"
        ]
        genuine = {"id": pi, "amount": 10_800, "amount_received": 10_800, "currency": "gbp",
                   "status": "succeeded", "metadata": {"invoice_id": deal.id}}  # fmt: skip

        forged = event_body("payment_intent.succeeded", genuine)
        for header in (signed(forged, secret="whsec_guessed"), "t=1,v1=00", None):
            answer = http.post(WEBHOOK, content=forged,
                               headers={"Stripe-Signature": header} if header else {})  # fmt: skip
            assert answer.status_code == 400
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.json()["title"] == "Invalid webhook signature"
        assert count_events(live.engine, json.loads(forged)["id"]) == 0

        # Signed, but not about this invoice's PaymentIntent, or for the wrong amount, or a type
        # we do not act on: stored, answered 200, and the invoice stays issued.
        harmless = [
            event_body("payment_intent.succeeded", {**genuine, "id": "pi_someoneelse"}),
            event_body("payment_intent.succeeded", {**genuine, "amount": 1,
                                                    "amount_received": 1}),
            event_body("charge.dispute.created", {"id": "dp_1"}),
            event_body("payment_intent.payment_failed", {**genuine, "status": "failed"}),
        ]  # fmt: skip
        for body in harmless:
            answer = http.post(WEBHOOK, content=body, headers={"Stripe-Signature": signed(body)})
            assert ok(answer) == {"received": True, "new": True}
            assert count_events(live.engine, json.loads(body)["id"]) == 1
        invoice, _settings = stored(live.engine, deal.id)
        assert (invoice.status, invoice.paid_on) == ("issued", None)
        assert paid_audits(live.engine, deal.id) == 0


def test_a_declined_card_leaves_the_invoice_issued(live: Live, committed_make):
    make, db = committed_make
    with live.http() as http:
        deal = issued_invoice(http, make, db)
        started = ok(http.post(deal.stripe_url, headers=deal.customer_finance.headers))
        pi = started["payment_intent_id"]

        with pytest.raises(stripe.CardError):
            confirm_in_browser(live.browser, pi, "pm_card_chargeCustomerFail")

        live.wait_for("payment_intent.payment_failed", pi)
        invoice, _ = stored(live.engine, deal.id)
        assert (invoice.status, invoice.stripe_payment_intent_id) == ("issued", pi)
        assert live.deliveries("payment_intent.succeeded", pi) == []
        # The payer may try another card on the same PaymentIntent: asking again gives it back.
        # (localstripe cannot confirm a PaymentIntent again once a charge failed, so the second
        # card itself is not played here; Stripe allows it.)
        again = ok(http.post(deal.stripe_url, headers=deal.customer_finance.headers))
        assert again == started
        assert live.browser.v1.payment_intents.retrieve(pi).status == "requires_payment_method"


def test_only_the_paying_councils_finance_may_pay(live: Live, committed_make):
    make, db = committed_make
    with live.http() as http:
        deal = issued_invoice(http, make, db)
        stranger = make.user(make.council(), "finance", "council_admin")
        issuer_admin = make.user(deal.issuer, "council_admin")
        for member, status in [
            (deal.issuer_finance, 403),  # the issuer sees the invoice, but does not pay it
            (issuer_admin, 403),
            (deal.customer_booker, 403),  # the paying council, without a finance role
            (stranger, 404),  # another council does not see it at all
        ]:
            answer = http.post(deal.stripe_url, headers=member.headers)
            assert answer.status_code == status, answer.text
            assert answer.headers["content-type"] == "application/problem+json"
        assert http.post(deal.stripe_url).status_code == 401
        missing = f"/api/v1/invoices/{uuid.uuid4()}/stripe"
        assert http.post(missing, headers=deal.customer_finance.headers).status_code == 404
        invoice, settings = stored(live.engine, deal.id)
        assert invoice.stripe_payment_intent_id is None and settings.stripe_customer_id is None


# In-process, on each engine -----------------------------------------------------------------


def test_no_card_payments_unless_the_issuer_takes_them(client, make, db):
    deal = issued_invoice(client, make, db, stripe_enabled=False)
    answer = client.post(deal.stripe_url, headers=deal.customer_finance.headers)
    assert answer.status_code == 409
    assert "does not take card payments" in answer.json()["detail"]


def test_stripe_switched_off_answers_503_and_changes_nothing(client, make, db):
    deal = issued_invoice(client, make, db)  # no TP_STRIPE_* in the tests' settings
    answer = client.post(deal.stripe_url, headers=deal.customer_finance.headers)
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    # Without a webhook secret nothing can be verified: refused (Stripe retries for days).
    webhook = client.post(WEBHOOK, content=b"{}", headers={"Stripe-Signature": "t=1,v1=0"})
    assert webhook.status_code == 400
    assert webhook.json()["title"] == "Invalid webhook signature"
    db.expire_all()
    assert db.get(Invoice, uuid.UUID(deal.id)).stripe_payment_intent_id is None


def test_stripe_down_answers_502_and_the_invoice_stays_issued(app, client, make, db):
    dead = StripeGateway(API_KEY, WEBHOOK_SECRET, api_base=f"http://127.0.0.1:{free_port()}",
                         max_network_retries=0)  # fmt: skip
    app.dependency_overrides[payments_api.gateway_factory] = lambda: lambda: dead
    deal = issued_invoice(client, make, db)
    audits_before = db.scalar(select(func.count()).select_from(AuditEvent))

    answer = client.post(deal.stripe_url, headers=deal.customer_finance.headers)

    assert answer.status_code == 502
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["title"] == "Payment provider error"
    db.expire_all()
    invoice = db.get(Invoice, uuid.UUID(deal.id))
    assert (invoice.status, invoice.stripe_payment_intent_id) == ("issued", None)
    assert db.get(CouncilSettings, deal.customer.id).stripe_customer_id is None
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == audits_before
    after = client.get(f"/api/v1/invoices/{deal.id}", headers=deal.issuer_finance.headers).json()
    assert after == {**deal.invoice, "credit_notes": after["credit_notes"]}
