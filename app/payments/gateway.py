"""The payment gateway as the rest of the app sees it (house rule 7).

Nothing outside `app/payments/stripe_gateway.py` imports the vendor's package: services take a
`PaymentGateway`, so tests and other providers can stand in for Stripe.

Every call that creates something on the provider is idempotent in *our* ids: a retry (a lost
response, a worker restarted by the outbox) finds or replays the first result, never a duplicate.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.core.errors import DomainError


class InvalidSignature(DomainError):
    """A webhook whose signature does not verify (forged, altered, stale or unsigned)."""

    status = 400
    title = "Invalid webhook signature"


class PaymentProviderError(DomainError):
    """The payment provider refused a call or could not be reached."""

    status = 502
    title = "Payment provider error"


class PaymentsNotConfigured(DomainError):
    """Card payments are switched off here (no API key or webhook secret set)."""

    status = 503
    title = "Card payments are not available"


@dataclass(frozen=True)
class PaymentIntentInfo:
    """What we keep of a provider's payment intent. Amounts are integer pence."""

    id: str
    client_secret: str
    amount_pence: int
    currency: str
    status: str

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"


@dataclass(frozen=True)
class WebhookEvent:
    """A verified webhook event: `data_object` is the object it is about (e.g. a PaymentIntent).

    `payload` is the whole event as the provider sent it, kept in the event log.
    """

    id: str
    type: str
    data_object: dict[str, Any]
    payload: dict[str, Any] = field(default_factory=dict)


class PaymentGateway(Protocol):
    def ensure_customer(
        self,
        council_id: uuid.UUID,
        name: str,
        email: str,
        *,
        known_customer_id: str | None = None,
    ) -> str:
        """The provider's customer id for this council, created on first use.

        Pass the id stored from an earlier call as `known_customer_id` when there is one; called
        again for the same council it returns the same customer.
        """
        ...

    def create_payment_intent(
        self,
        invoice_id: uuid.UUID,
        customer_id: str,
        amount_pence: int,
        description: str,
        metadata: Mapping[str, str],
    ) -> PaymentIntentInfo:
        """A payment intent in GBP for one invoice, tagged with `invoice_id` in its metadata.

        Idempotent per invoice at the provider for as long as it keeps idempotency keys
        (Stripe: 24 hours); the caller stores the id and uses `retrieve_payment_intent` after.
        """
        ...

    def retrieve_payment_intent(self, payment_intent_id: str) -> PaymentIntentInfo: ...

    def verify_webhook(self, payload: bytes, signature_header: str) -> WebhookEvent:
        """The event in a webhook's raw body; raises `InvalidSignature` unless it is genuine."""
        ...
