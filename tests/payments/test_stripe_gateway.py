"""The Stripe adapter against localstripe, driven by the official `stripe` package, and the
webhook's event log on the real database (both engines).

localstripe's quirks, pinned by the tests named `test_localstripe_*` so that an upgrade that
changes them is noticed:
- it ignores `Idempotency-Key` (each create makes a new object), so `ensure_customer` also finds
  the council's customer itself, and the idempotency keys are checked on the wire;
- it refuses a PaymentIntent `description` (400), so the adapter files it in metadata;
- it refuses `confirm` with a `payment_method` (500 "Not implemented"), so the browser's
  confirmation is played as "attach the payment method, then confirm";
- it signs and sends each event about a second after the call, once, without retries.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import uuid
from urllib.parse import parse_qs

import httpx
import pytest
import stripe
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import make_session_factory
from app.payments import service as payments
from app.payments.gateway import (
    InvalidSignature,
    PaymentGateway,
    PaymentIntentInfo,
    PaymentProviderError,
    PaymentsNotConfigured,
    WebhookEvent,
)
from app.payments.models import StripeEvent
from app.payments.stripe_gateway import StripeGateway, gateway_from_settings
from tests.payments.conftest import (
    API_KEY,
    WEBHOOK_SECRET,
    Payment,
    WebhookReceiver,
)


def confirm_in_browser(
    client: stripe.StripeClient, intent: PaymentIntentInfo, payment_method: str
) -> None:
    """What Stripe.js does when the payer submits the card form: confirm the PaymentIntent with
    a payment method (`stripe.confirmCardPayment(client_secret, {payment_method})`).

    localstripe cannot confirm *with* a payment method (500 Not implemented, see
    test_localstripe_refuses_confirm_with_a_payment_method), so this attaches it first and then
    confirms: the same end state, and the same charge and events, as Stripe's.
    """
    assert intent.client_secret.startswith(f"{intent.id}_secret_")
    client.v1.payment_intents.update(intent.id, params={"payment_method": payment_method})
    client.v1.payment_intents.confirm(intent.id)


def new_council() -> tuple[uuid.UUID, str]:
    council_id = uuid.uuid4()
    return council_id, f"finance-{council_id.hex[:8]}@council.example.gov.uk"


def new_customer(gateway: StripeGateway) -> str:
    council_id, email = new_council()
    return gateway.ensure_customer(council_id, "Anytown", email)


def stored_event(engine: Engine, event_id: str) -> StripeEvent | None:
    with make_session_factory(engine)() as session:
        return session.get(StripeEvent, event_id)


def signed(payload: bytes, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    timestamp = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), b"%d.%s" % (timestamp, payload), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


# The interface --------------------------------------------------------------------------------


def test_the_stripe_gateway_is_a_payment_gateway(gateway):
    as_interface: PaymentGateway = gateway
    assert as_interface is gateway


def test_gateway_from_settings_uses_the_api_base(localstripe_url):
    settings = Settings(
        stripe_api_key=API_KEY,
        stripe_api_base=localstripe_url,
        stripe_webhook_secret=WEBHOOK_SECRET,
    )
    council_id, email = new_council()
    customer_id = gateway_from_settings(settings).ensure_customer(council_id, "Anytown", email)
    assert customer_id.startswith("cus_")


@pytest.mark.parametrize(
    "settings",
    [Settings(stripe_webhook_secret="whsec_x"), Settings(stripe_api_key="sk_test_x")],
    ids=["no api key", "no webhook secret"],
)
def test_gateway_from_settings_needs_a_key_and_a_webhook_secret(settings):
    with pytest.raises(PaymentsNotConfigured) as caught:
        gateway_from_settings(settings)
    assert caught.value.status == 503


# Customers ------------------------------------------------------------------------------------


def test_localstripe_ignores_idempotency_keys(stripe_client):
    key = f"probe:{uuid.uuid4()}"
    params: stripe.CustomerCreateParams = {"name": "Probe", "email": "probe@example.org"}
    first = stripe_client.v1.customers.create(params=params, options={"idempotency_key": key})
    second = stripe_client.v1.customers.create(params=params, options={"idempotency_key": key})
    assert first.id != second.id  # Stripe itself would return `first` again


def test_ensure_customer_twice_gives_the_same_customer(gateway, http_client, stripe_client):
    council_id, email = new_council()

    first = gateway.ensure_customer(council_id, "Anytown Borough Council", email)
    second = gateway.ensure_customer(council_id, "Anytown Borough Council", email)

    assert first == second
    creates = http_client.posts_to("/v1/customers")
    assert len(creates) == 1  # the second call found the customer, created none
    assert creates[0].headers["Idempotency-Key"] == f"customer:{council_id}"
    customer = stripe_client.v1.customers.retrieve(first)
    assert customer.metadata is not None
    assert customer.metadata["council_id"] == str(council_id)
    assert (customer.name, customer.email) == ("Anytown Borough Council", email)


def test_ensure_customer_keeps_councils_apart_even_with_one_email(gateway):
    shared = f"shared-{uuid.uuid4().hex[:8]}@example.gov.uk"
    one = gateway.ensure_customer(uuid.uuid4(), "One", shared)
    other = gateway.ensure_customer(uuid.uuid4(), "Other", shared)
    assert one != other


def test_ensure_customer_reuses_the_stored_id_without_creating(gateway, http_client):
    council_id, email = new_council()
    stored = gateway.ensure_customer(council_id, "Anytown", email)
    http_client.sent.clear()

    again = gateway.ensure_customer(
        council_id, "Anytown", "changed@example.gov.uk", known_customer_id=stored
    )

    assert again == stored
    assert [(r.method, httpx.URL(r.url).path) for r in http_client.sent] == [
        ("GET", f"/v1/customers/{stored}")
    ]


def test_ensure_customer_replaces_a_deleted_customer(gateway, stripe_client):
    council_id, email = new_council()
    stored = gateway.ensure_customer(council_id, "Anytown", email)
    stripe_client.v1.customers.delete(stored)

    replacement = gateway.ensure_customer(council_id, "Anytown", email, known_customer_id=stored)

    assert replacement != stored
    assert replacement.startswith("cus_")


# PaymentIntents -------------------------------------------------------------------------------


def test_create_payment_intent_in_pence_sterling_for_an_invoice(gateway, http_client):
    council_id, email = new_council()
    customer_id = gateway.ensure_customer(council_id, "Anytown", email)
    invoice_id = uuid.uuid4()

    intent = gateway.create_payment_intent(
        invoice_id, customer_id, 123_456, "ANY-2026-000042 recharge, November 2026",
        {"invoice_number": "ANY-2026-000042"},
    )

    assert intent.id.startswith("pi_")
    assert intent.client_secret.startswith(f"{intent.id}_secret_")
    assert (intent.amount_pence, intent.currency) == (123_456, "gbp")
    assert intent.status == "requires_payment_method"
    assert not intent.succeeded
    [create] = http_client.posts_to("/v1/payment_intents")
    assert create.headers["Idempotency-Key"] == f"payment-intent:{invoice_id}"
    form = parse_qs(create.body)
    assert form["amount"] == ["123456"]
    assert form["currency"] == ["gbp"]
    assert form["customer"] == [customer_id]
    assert form["metadata[invoice_id]"] == [str(invoice_id)]
    assert form["metadata[invoice_number]"] == ["ANY-2026-000042"]
    assert form["metadata[description]"] == ["ANY-2026-000042 recharge, November 2026"]
    assert gateway.retrieve_payment_intent(intent.id) == intent


def test_the_invoice_id_in_metadata_is_ours_whatever_the_caller_passes(gateway, http_client):
    customer_id = new_customer(gateway)
    invoice_id = uuid.uuid4()
    gateway.create_payment_intent(invoice_id, customer_id, 100, "x", {"invoice_id": "forged"})
    [create] = http_client.posts_to("/v1/payment_intents")
    assert parse_qs(create.body)["metadata[invoice_id]"] == [str(invoice_id)]


@pytest.mark.parametrize("amount", [0, -1, 10.5, True])
def test_create_payment_intent_refuses_amounts_that_are_not_positive_pence(gateway, amount):
    with pytest.raises(ValueError, match="amount_pence"):
        gateway.create_payment_intent(uuid.uuid4(), "cus_x", amount, "x", {})


def test_stripe_refusals_become_a_provider_error(gateway):
    with pytest.raises(PaymentProviderError) as caught:
        gateway.retrieve_payment_intent("pi_doesnotexist")
    assert caught.value.status == 502
    with pytest.raises(PaymentProviderError):
        gateway.create_payment_intent(uuid.uuid4(), "cus_doesnotexist", 100, "x", {})


def test_localstripe_refuses_a_payment_intent_description(stripe_client):
    with pytest.raises(stripe.InvalidRequestError, match="Unexpected description"):
        stripe_client.v1.payment_intents.create(
            params={"amount": 100, "currency": "gbp", "description": "x"}
        )


def test_localstripe_refuses_confirm_with_a_payment_method(gateway, stripe_client):
    customer_id = new_customer(gateway)
    intent = gateway.create_payment_intent(uuid.uuid4(), customer_id, 100, "x", {})
    with pytest.raises(stripe.APIError) as caught:
        stripe_client.v1.payment_intents.confirm(
            intent.id, params={"payment_method": "pm_card_visa"}
        )
    assert caught.value.http_status == 500


# Paying by card, and the webhook --------------------------------------------------------------


def test_a_card_payment_succeeds_and_its_signed_webhook_arrives_once(
    gateway, stripe_client, webhook_receiver: WebhookReceiver, committed_engine
):
    council_id, email = new_council()
    customer_id = gateway.ensure_customer(council_id, "Anytown", email)
    invoice_id = uuid.uuid4()
    intent = gateway.create_payment_intent(invoice_id, customer_id, 98_765, "Recharge", {})

    confirm_in_browser(stripe_client, intent, "pm_card_visa")

    assert gateway.retrieve_payment_intent(intent.id).status == "succeeded"
    delivery = webhook_receiver.wait_for("payment_intent.succeeded", intent.id)
    assert delivery.new is True
    assert delivery.signature.startswith("t=")
    # The event is the one localstripe signed: it verifies here too, and says what was paid.
    event = gateway.verify_webhook(delivery.body, delivery.signature)
    assert event.type == "payment_intent.succeeded"
    assert event.data_object["id"] == intent.id
    assert event.data_object["metadata"]["invoice_id"] == str(invoice_id)
    # The handler ran once, in the webhook's transaction, with our invoice id.
    assert webhook_receiver.payments(intent.id) == [Payment(invoice_id, intent.id, 98_765)]
    row = stored_event(committed_engine, event.id)
    assert row is not None
    assert row.type == "payment_intent.succeeded"
    assert row.processed_at is not None
    assert row.payload["data"]["object"]["id"] == intent.id


def test_replaying_a_delivered_webhook_is_harmless(
    gateway, stripe_client, webhook_receiver: WebhookReceiver, committed_engine
):
    customer_id = new_customer(gateway)
    intent = gateway.create_payment_intent(uuid.uuid4(), customer_id, 5_000, "Recharge", {})
    confirm_in_browser(stripe_client, intent, "pm_card_visa")
    delivery = webhook_receiver.wait_for("payment_intent.succeeded", intent.id)
    processed_at = stored_event(committed_engine, delivery.event_id).processed_at

    again = httpx.post(
        webhook_receiver.url,
        content=delivery.body,
        headers={"Stripe-Signature": delivery.signature, "Content-Type": "application/json"},
    )

    assert again.status_code == 200
    assert again.json() == {"received": True, "new": False}
    assert len(webhook_receiver.payments(intent.id)) == 1
    assert stored_event(committed_engine, delivery.event_id).processed_at == processed_at
    # And straight through the service, in a session of its own.
    event = gateway.verify_webhook(delivery.body, delivery.signature)
    with make_session_factory(committed_engine)() as session:
        assert payments.record_event(session, event) is False
        assert payments.handle_event(session, event, _must_not_be_called) is False
        session.rollback()


def test_a_declined_card_leaves_the_payment_unpaid(
    gateway, stripe_client, webhook_receiver: WebhookReceiver, committed_engine
):
    customer_id = new_customer(gateway)
    intent = gateway.create_payment_intent(uuid.uuid4(), customer_id, 4_200, "Recharge", {})

    with pytest.raises(stripe.CardError) as caught:
        confirm_in_browser(stripe_client, intent, "pm_card_chargeCustomerFail")

    assert caught.value.code == "card_declined"
    after = gateway.retrieve_payment_intent(intent.id)
    assert after.status == "requires_payment_method"  # the payer may try another card
    assert not after.succeeded
    # Stripe tells us with payment_intent.payment_failed: stored, marked handled, no payment.
    delivery = webhook_receiver.wait_for("payment_intent.payment_failed", intent.id)
    row = stored_event(committed_engine, delivery.event_id)
    assert row is not None
    assert row.processed_at is not None
    assert webhook_receiver.payments(intent.id) == []


def test_a_forged_signature_is_refused(
    gateway, webhook_receiver: WebhookReceiver, committed_engine
):
    event_id = f"evt_forged{uuid.uuid4().hex[:12]}"
    payload = json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": "payment_intent.succeeded",
            "created": int(time.time()),
            "data": {
                "object": {
                    "id": "pi_forged",
                    "object": "payment_intent",
                    "amount": 100,
                    "currency": "gbp",
                    "metadata": {"invoice_id": str(uuid.uuid4())},
                }
            },
        }
    ).encode()
    genuine = signed(payload)
    forgeries = {
        "another secret": signed(payload, secret="whsec_guessed"),
        "altered body": genuine,  # sent with a changed body below
        "stale": signed(payload, at=int(time.time()) - 3600),
        "an hour ahead": signed(payload, at=int(time.time()) + 3600),
        "six minutes ahead": signed(payload, at=int(time.time()) + 360),
        "garbage": "t=1,v1=deadbeef",
        "no timestamp": "v1=" + genuine.split("v1=")[1],
        "another scheme": genuine.replace("v1=", "v0="),
        "unsigned": "",
    }
    assert gateway.verify_webhook(payload, genuine).id == event_id  # the control
    # clocks drift: within the five minutes' tolerance either way is fine
    ahead = signed(payload, at=int(time.time()) + 240)
    assert gateway.verify_webhook(payload, ahead).id == event_id

    for name, header in forgeries.items():
        body = payload
        if name == "altered body":
            body = payload.replace(b'"amount": 100', b'"amount": 1')
        with pytest.raises(InvalidSignature) as caught:
            gateway.verify_webhook(body, header)
        assert caught.value.status == 400, name

        answer = httpx.post(
            webhook_receiver.url,
            content=body,
            headers={"Stripe-Signature": header} if header else {},
        )
        assert answer.status_code == 400, name
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["title"] == "Invalid webhook signature"

    assert stored_event(committed_engine, event_id) is None
    assert webhook_receiver.payments("pi_forged") == []


def test_a_signed_body_that_is_not_an_event_is_refused(gateway):
    for body in (b"not json", b'{"id": "evt_1", "object": "event", "type": "x"}'):
        with pytest.raises(InvalidSignature):
            gateway.verify_webhook(body, signed(body))


# The event log, on each engine ----------------------------------------------------------------


def _event(event_type: str = "payment_intent.succeeded", **intent: object) -> WebhookEvent:
    data_object = {
        "id": f"pi_{uuid.uuid4().hex[:14]}",
        "object": "payment_intent",
        "amount": 2_500,
        "amount_received": 2_500,
        "currency": "gbp",
        "metadata": {"invoice_id": str(uuid.uuid4())},
        **intent,
    }
    event_id = f"evt_{uuid.uuid4().hex[:14]}"
    return WebhookEvent(
        id=event_id,
        type=event_type,
        data_object=data_object,
        payload={"id": event_id, "object": "event", "type": event_type,
                 "data": {"object": data_object}},
    )


def _must_not_be_called(*_args: object) -> None:
    raise AssertionError("the payment handler ran again")


class Calls:
    def __init__(self) -> None:
        self.calls: list[tuple[uuid.UUID, str, int]] = []
        self._lock = threading.Lock()

    def __call__(self, session: Session, invoice_id: uuid.UUID, pi: str, amount: int) -> None:
        assert isinstance(session, Session)
        with self._lock:
            self.calls.append((invoice_id, pi, amount))


def test_record_event_stores_an_event_once(db):
    event = _event()
    assert payments.record_event(db, event) is True
    assert payments.record_event(db, event) is False
    row = db.get(StripeEvent, event.id)
    assert row.type == event.type
    assert row.payload == event.payload
    assert row.received_at.tzinfo is not None
    assert row.processed_at is None


def test_handle_event_pays_an_invoice_once(db):
    event = _event()
    calls = Calls()
    payments.record_event(db, event)

    assert payments.handle_event(db, event, calls) is True
    assert payments.handle_event(db, event, calls) is False

    invoice_id = uuid.UUID(event.data_object["metadata"]["invoice_id"])
    assert calls.calls == [(invoice_id, event.data_object["id"], 2_500)]
    db.expire_all()
    assert db.get(StripeEvent, event.id).processed_at is not None


def test_handle_event_ignores_types_it_does_not_know(db):
    event = _event("charge.dispute.created")
    payments.record_event(db, event)
    assert payments.handle_event(db, event, _must_not_be_called) is True
    db.expire_all()
    assert db.get(StripeEvent, event.id).processed_at is not None


@pytest.mark.parametrize(
    "intent",
    [
        {"metadata": {}},  # a payment on the same Stripe account that is not an invoice of ours
        {"metadata": {"invoice_id": "not-a-uuid"}},
        {"currency": "eur"},
        {"amount": "2500", "amount_received": None},
    ],
    ids=["no invoice id", "bad invoice id", "not sterling", "amount not pence"],
)
def test_handle_event_leaves_payments_that_are_not_ours_alone(db, intent):
    event = _event(**intent)
    payments.record_event(db, event)
    assert payments.handle_event(db, event, _must_not_be_called) is True


def test_handle_event_wants_the_event_recorded_first(db):
    with pytest.raises(LookupError):
        payments.handle_event(db, _event(), _must_not_be_called)


def test_a_failed_handler_leaves_the_event_for_the_next_delivery(committed_engine):
    event = _event()
    factory = make_session_factory(committed_engine)

    def fails(*_args: object) -> None:
        raise RuntimeError("invoicing is down")

    with factory() as session, pytest.raises(RuntimeError):
        payments.record_event(session, event)
        payments.handle_event(session, event, fails)
    # The request's transaction rolled back: Stripe's next delivery finds nothing stored.
    calls = Calls()
    with factory() as session:
        assert payments.record_event(session, event) is True
        assert payments.handle_event(session, event, calls) is True
        session.commit()
    assert len(calls.calls) == 1


def test_concurrent_deliveries_of_one_event_pay_once(committed_engine):
    """Stripe may deliver one event twice at once: separate connections, real threads."""
    event = _event()
    factory = make_session_factory(committed_engine)
    calls = Calls()
    threads = 6
    barrier = threading.Barrier(threads)
    outcomes: list[tuple[bool, bool]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def deliver() -> None:
        try:
            with factory() as session:
                barrier.wait(timeout=10)
                new = payments.record_event(session, event)
                handled = payments.handle_event(session, event, calls)
                session.commit()
            with lock:
                outcomes.append((new, handled))
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=deliver) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert errors == []
    assert sorted(outcomes) == [(False, False)] * (threads - 1) + [(True, True)]
    assert len(calls.calls) == 1
    with factory() as session:
        count = session.scalars(select(StripeEvent.id).where(StripeEvent.id == event.id)).all()
    assert count == [event.id]
