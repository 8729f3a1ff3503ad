"""Incoming payment events: store each once under its provider id, then handle it once.

The webhook endpoint runs, in the request's one transaction:

    event = gateway.verify_webhook(body, signature)      # InvalidSignature -> 400
    record_event(session, event)                         # False on a replay
    handle_event(session, event, invoicing.payment_succeeded)

A replay (Stripe retries, or anyone re-sending a captured request) finds the row already there
and already processed, so nothing happens twice. If the handler fails, the transaction rolls back
with the stored event, Stripe gets an error and delivers again later.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import structlog
from sqlalchemy import Insert, Table, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.core import clock
from app.core.actor import Actor
from app.core.errors import Conflict
from app.core.guarded import claimed
from app.councils import service as councils
from app.invoicing import service as invoicing
from app.payments.gateway import (
    InvalidSignature,
    PaymentGateway,
    PaymentsNotConfigured,
    WebhookEvent,
)
from app.payments.models import StripeEvent

log = structlog.get_logger()

PaymentSucceeded = Callable[[Session, uuid.UUID, str, int], None]
"""`(session, invoice_id, payment_intent_id, amount_pence)`: marks our invoice paid."""

PAYMENT_INTENT_SUCCEEDED = "payment_intent.succeeded"
CURRENCY = "gbp"

_events = cast(Table, StripeEvent.__table__)


def record_event(session: Session, event: WebhookEvent) -> bool:
    """Store the event under its unique id; True when it is new, False when already stored."""
    values = {
        "id": event.id,
        "type": event.type,
        "received_at": clock.now(),
        "payload": event.payload
        or {"id": event.id, "type": event.type, "data": {"object": event.data_object}},
        "processed_at": None,
    }
    dialect = session.get_bind().dialect.name
    statement: Insert
    if dialect == "postgresql":
        statement = (
            postgresql_insert(_events)
            .values(values)
            .on_conflict_do_nothing(index_elements=[_events.c.id])
        )
    elif dialect == "sqlite":
        statement = (
            sqlite_insert(_events)
            .values(values)
            .on_conflict_do_nothing(index_elements=[_events.c.id])
        )
    else:  # pragma: no cover - the app runs on SQLite and PostgreSQL only
        raise NotImplementedError(f"record_event does not support {dialect}")
    # RETURNING names the inserted row; nothing comes back on a conflict. (rowcount is not
    # kept for INSERTs by SQLAlchemy 2.1 on psycopg: it reads -1.)
    return session.execute(statement.returning(_events.c.id)).first() is not None


def handle_event(
    session: Session, event: WebhookEvent, on_payment_succeeded: PaymentSucceeded
) -> bool:
    """Handle a recorded event once; True when this call handled it, False when done before.

    The guarded UPDATE that sets `processed_at` is the claim: of two concurrent deliveries only
    one matches the row, on both engines. Types we do not act on are marked processed and
    otherwise ignored.
    """
    if not claimed(
        session,
        update(_events)
        .where(_events.c.id == event.id, _events.c.processed_at.is_(None))
        .values(processed_at=clock.now()),
    ):
        if session.scalar(select(_events.c.id).where(_events.c.id == event.id)) is None:
            raise LookupError(f"Stripe event {event.id} was not recorded: call record_event first")
        return False
    if event.type == PAYMENT_INTENT_SUCCEEDED:
        _payment_intent_succeeded(session, event, on_payment_succeeded)
    else:
        log.info("stripe_event_ignored", event_id=event.id, event_type=event.type)
    return True


def _payment_intent_succeeded(
    session: Session, event: WebhookEvent, on_payment_succeeded: PaymentSucceeded
) -> None:
    intent = event.data_object
    payment_intent_id = intent.get("id")
    metadata = intent.get("metadata") or {}
    invoice_id = _uuid_or_none(metadata.get("invoice_id") if isinstance(metadata, dict) else None)
    amount = intent.get("amount_received") or intent.get("amount")
    currency = intent.get("currency")
    if not isinstance(payment_intent_id, str) or invoice_id is None:
        # A payment on the same Stripe account that is not one of our invoices.
        log.warning("stripe_payment_not_ours", event_id=event.id, payment_intent=payment_intent_id)
        return
    if currency != CURRENCY or isinstance(amount, bool) or not isinstance(amount, int):
        log.warning(
            "stripe_payment_unexpected_amount",
            event_id=event.id,
            payment_intent=payment_intent_id,
            amount=amount,
            currency=currency,
        )
        return
    on_payment_succeeded(session, invoice_id, payment_intent_id, amount)


def _uuid_or_none(value: Any) -> uuid.UUID | None:
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


# --- paying an invoice by card --------------------------------------------------------------

GatewayFactory = Callable[[], PaymentGateway]
"""Makes the gateway when it is needed (after the caller is authorised): `PaymentsNotConfigured`
(503) when card payments are switched off."""


@dataclass(frozen=True)
class CardPayment:
    """What the payer's browser needs to confirm the payment with Stripe.js."""

    payment_intent_id: str
    client_secret: str
    amount_pence: int
    currency: str


def pay_invoice_by_card(
    session: Session, actor: Actor, invoice_id: uuid.UUID, gateway: GatewayFactory
) -> CardPayment:
    """A PaymentIntent for what is left to pay on an issued invoice, made once per invoice.

    1. Read and authorise (invoicing: the paying council's finance, the issuer takes cards,
       the invoice is issued), then **commit**: no transaction (on SQLite, no write lock) is
       held while Stripe is called. This is the one service that commits, for that reason.
    2. Call Stripe: the council's Customer (made once, its id kept in its settings) and the
       invoice's PaymentIntent (idempotency key from the invoice id), or, on a retry, the
       PaymentIntent kept before. A Stripe failure raises `PaymentProviderError` (502) before
       anything is written, so the invoice stays as it was.
    3. In a new transaction, keep the ids. Of two requests racing, the first PaymentIntent kept
       wins and both answer with it.
    """
    due = invoicing.card_payment_due(session, actor, invoice_id)
    council = councils.get_council(session, due.customer_council_id)
    settings = councils.council_settings(session, council.id)
    known_customer = settings.stripe_customer_id
    email = settings.finance_email or actor.email
    provider = gateway()
    session.commit()

    customer_id = known_customer
    if due.payment_intent_id is not None:
        intent = provider.retrieve_payment_intent(due.payment_intent_id)
    else:
        customer_id = provider.ensure_customer(
            council.id, council.name, email, known_customer_id=known_customer
        )
        intent = provider.create_payment_intent(
            due.invoice_id,
            customer_id,
            due.amount_pence,
            due.description,
            {"invoice_number": due.number, "issuer_council_id": str(due.issuer_council_id)},
        )

    if customer_id and customer_id != known_customer:
        councils.council_settings(session, council.id).stripe_customer_id = customer_id
    kept = invoicing.attach_payment_intent(session, actor, due.invoice_id, intent.id)
    if kept != intent.id:
        intent = provider.retrieve_payment_intent(kept)
    if intent.currency != CURRENCY or (
        intent.amount_pence != due.amount_pence and not intent.succeeded
    ):
        raise Conflict(
            f"The card payment started for invoice {due.number} was for "
            f"{intent.amount_pence}p, but {due.amount_pence}p is due now (a credit note was "
            "issued since). Ask the issuing council to settle it."
        )
    return CardPayment(
        payment_intent_id=intent.id,
        client_secret=intent.client_secret,
        amount_pence=intent.amount_pence,
        currency=intent.currency,
    )


def receive_webhook(
    session: Session,
    gateway: GatewayFactory,
    payload: bytes,
    signature: str,
    on_payment_succeeded: PaymentSucceeded = invoicing.paid_by_stripe,
) -> bool:
    """Verify a webhook (`InvalidSignature`, 400, before anything is stored), store its event
    once and handle it once. True when the event is new.

    With card payments switched off there is no secret to verify against, so every webhook is
    refused as unverifiable (400, logged): Stripe keeps retrying for days, and its events arrive
    once the secret is set.
    """
    try:
        provider = gateway()
    except PaymentsNotConfigured as exc:
        log.error("stripe_webhook_unverifiable", reason=exc.detail)
        raise InvalidSignature(
            "Card payments are not configured here, so webhooks cannot be verified."
        ) from exc
    event = provider.verify_webhook(payload, signature)
    new = record_event(session, event)
    handle_event(session, event, on_payment_succeeded)
    return new
