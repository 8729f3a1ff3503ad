"""Card payments: start paying an invoice by card, and Stripe's webhook."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import Response

from app.config import get_settings
from app.core.types import ResponseModel
from app.dependencies import CurrentActor, DbSession
from app.idempotency.api import Once, idempotent
from app.payments import service
from app.payments.stripe_gateway import gateway_from_settings

router = APIRouter(tags=["payments"])

WEBHOOK_PATH = "/payments/stripe/webhook"


def gateway_factory() -> service.GatewayFactory:
    """How the routes get the payment gateway: from the settings (`TP_STRIPE_*`), made only when
    needed. Tests override this dependency to point at their own Stripe stand-in."""
    return lambda: gateway_from_settings(get_settings())


Gateway = Annotated[service.GatewayFactory, Depends(gateway_factory)]


class CardPaymentOut(ResponseModel):
    payment_intent_id: str
    client_secret: str
    amount_pence: int
    currency: Literal["gbp"]


class WebhookAck(ResponseModel):
    received: bool
    new: bool


async def raw_body(request: Request) -> bytes:
    """The body exactly as sent: the signature covers these bytes, not a re-encoding."""
    return await request.body()


@router.post(
    "/invoices/{invoice_id}/stripe",
    response_model=CardPaymentOut,
    responses={
        409: {"description": "Not payable by card: not issued, paid, or the issuer takes none"},
        502: {"description": "Stripe refused the call or could not be reached"},
        503: {"description": "Card payments are not configured (or the database is down)"},
    },
)
def pay_by_card(
    invoice_id: uuid.UUID,
    actor: CurrentActor,
    db: DbSession,
    gateway: Gateway,
    once: Annotated[Once, Depends(idempotent("invoices.stripe"))],
) -> Response:
    """A Stripe PaymentIntent for what is left to pay, for the paying council's finance team.
    A retry answers with the same PaymentIntent (with an Idempotency-Key: the same answer)."""
    if once.replay is not None:
        return once.replay
    payment = service.pay_invoice_by_card(db, actor, invoice_id, gateway)
    return once.respond(CardPaymentOut.model_validate(payment))


@router.post(
    WEBHOOK_PATH,
    response_model=WebhookAck,
    responses={400: {"description": "The Stripe-Signature header does not verify"}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
            "description": "A Stripe event, signed with TP_STRIPE_WEBHOOK_SECRET",
        }
    },
)
def stripe_webhook(
    db: DbSession,
    gateway: Gateway,
    body: Annotated[bytes, Depends(raw_body)],
    stripe_signature: Annotated[str | None, Header(alias="Stripe-Signature")] = None,
) -> WebhookAck:
    """Stripe's events: stored once by their id, then handled once (`payment_intent.succeeded`
    marks the invoice paid). Replays and other events answer 200 and change nothing."""
    new = service.receive_webhook(db, gateway, body, stripe_signature or "")
    return WebhookAck(received=True, new=new)
