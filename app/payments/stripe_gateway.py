"""The Stripe adapter: the only module that imports the `stripe` package (house rule 7).

- API calls go through `stripe.StripeClient` (`TP_STRIPE_API_KEY`, and `TP_STRIPE_API_BASE`
  when set, e.g. a localstripe server in tests).
- Every create passes an idempotency key made of our own ids, so a retried call replays the first
  result at Stripe instead of creating a second object (Stripe keeps keys for 24 hours).
- `ensure_customer` is idempotent in our own code as well, beyond those 24 hours and against
  servers that ignore `Idempotency-Key` (localstripe does): it reuses the customer id we stored,
  else finds the council's customer by email and our `council_id` metadata, and creates one only
  when neither exists.
- Webhooks are verified against `TP_STRIPE_WEBHOOK_SECRET` (the `Stripe-Signature` header), and
  refused when signed more than 5 minutes before or after now: the `stripe` package checks the
  past only, the future is checked here.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

import stripe
import structlog

from app.config import Settings
from app.core import clock
from app.payments.gateway import (
    InvalidSignature,
    PaymentIntentInfo,
    PaymentProviderError,
    PaymentsNotConfigured,
    WebhookEvent,
)

# Seconds a webhook's signature may be dated before or after now (Stripe's own default).
WEBHOOK_TOLERANCE = 300

log = structlog.get_logger()

CURRENCY = "gbp"
# Stripe's limit on a metadata value.
METADATA_VALUE_MAX = 500


def customer_idempotency_key(council_id: uuid.UUID) -> str:
    return f"customer:{council_id}"


def payment_intent_idempotency_key(invoice_id: uuid.UUID) -> str:
    return f"payment-intent:{invoice_id}"


class StripeGateway:
    """`PaymentGateway` over Stripe's API (or anything that speaks it, such as localstripe)."""

    def __init__(
        self,
        api_key: str,
        webhook_secret: str,
        *,
        api_base: str | None = None,
        http_client: stripe.HTTPClient | None = None,
        max_network_retries: int = 2,
    ) -> None:
        self._webhook_secret = webhook_secret
        self._client = stripe.StripeClient(
            api_key,
            base_addresses={"api": api_base} if api_base else None,
            http_client=http_client,
            # Safe: every POST carries an idempotency key (ours, or the library's own).
            max_network_retries=max_network_retries,
        )

    # Customers ------------------------------------------------------------------------------

    def ensure_customer(
        self,
        council_id: uuid.UUID,
        name: str,
        email: str,
        *,
        known_customer_id: str | None = None,
    ) -> str:
        try:
            if known_customer_id and self._customer_exists(known_customer_id):
                return known_customer_id
            found = self._find_customer(council_id, email)
            if found is not None:
                return found
            customer = self._client.v1.customers.create(
                params={
                    "name": name,
                    "email": email,
                    "metadata": {"council_id": str(council_id)},
                },
                options={"idempotency_key": customer_idempotency_key(council_id)},
            )
        except stripe.StripeError as exc:
            raise _provider_error(exc) from exc
        return customer.id

    def _customer_exists(self, customer_id: str) -> bool:
        try:
            customer = self._client.v1.customers.retrieve(customer_id)
        except stripe.InvalidRequestError as exc:
            if exc.http_status == 404:
                return False
            raise
        # Stripe answers a deleted customer with {"id", "deleted": true}.
        return not _is_deleted(customer)

    def _find_customer(self, council_id: uuid.UUID, email: str) -> str | None:
        """The council's customer, by email and our metadata (listing is strongly consistent;
        Stripe's search API is not, and localstripe has none)."""
        customers = self._client.v1.customers.list(params={"email": email, "limit": 100})
        for customer in customers.auto_paging_iter():
            metadata = customer.metadata if "metadata" in customer else None
            if metadata is None or "council_id" not in metadata or _is_deleted(customer):
                continue
            if metadata["council_id"] == str(council_id):
                return customer.id
        return None

    # Payment intents ------------------------------------------------------------------------

    def create_payment_intent(
        self,
        invoice_id: uuid.UUID,
        customer_id: str,
        amount_pence: int,
        description: str,
        metadata: Mapping[str, str],
    ) -> PaymentIntentInfo:
        if isinstance(amount_pence, bool) or not isinstance(amount_pence, int) or amount_pence <= 0:
            raise ValueError(f"amount_pence must be a positive integer, not {amount_pence!r}")
        # The description travels in metadata: localstripe refuses PaymentIntent `description`,
        # and metadata shows in Stripe's dashboard and exports all the same.
        tags = {key: value[:METADATA_VALUE_MAX] for key, value in metadata.items()}
        tags["description"] = description[:METADATA_VALUE_MAX]
        tags["invoice_id"] = str(invoice_id)
        try:
            intent = self._client.v1.payment_intents.create(
                params={
                    "amount": amount_pence,
                    "currency": CURRENCY,
                    "customer": customer_id,
                    "metadata": tags,
                },
                options={"idempotency_key": payment_intent_idempotency_key(invoice_id)},
            )
        except stripe.StripeError as exc:
            raise _provider_error(exc) from exc
        return _intent_info(intent)

    def retrieve_payment_intent(self, payment_intent_id: str) -> PaymentIntentInfo:
        try:
            intent = self._client.v1.payment_intents.retrieve(payment_intent_id)
        except stripe.StripeError as exc:
            raise _provider_error(exc) from exc
        return _intent_info(intent)

    # Webhooks -------------------------------------------------------------------------------

    def verify_webhook(self, payload: bytes, signature_header: str) -> WebhookEvent:
        if not signature_header:
            raise InvalidSignature("The Stripe-Signature header is missing.")
        try:
            event = self._client.construct_event(
                payload, signature_header, self._webhook_secret, tolerance=WEBHOOK_TOLERANCE
            )
            raw: dict[str, Any] = json.loads(payload)
        except stripe.SignatureVerificationError as exc:
            raise InvalidSignature("The Stripe-Signature header does not verify.") from exc
        except (ValueError, TypeError) as exc:  # signed, yet not a Stripe event
            raise InvalidSignature("The webhook payload is not a Stripe event.") from exc
        if _signed_at(signature_header) > clock.wall_time() + WEBHOOK_TOLERANCE:
            raise InvalidSignature("The Stripe-Signature header is dated in the future.")
        data = raw.get("data")
        data_object = data.get("object") if isinstance(data, dict) else None
        if not isinstance(data_object, dict):
            raise InvalidSignature("The webhook payload is not a Stripe event.")
        return WebhookEvent(id=event.id, type=event.type, data_object=data_object, payload=raw)


def _signed_at(signature_header: str) -> int:
    """The `t=` timestamp of a header the stripe package has just verified."""
    for item in signature_header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isdigit():
            return int(value)
    raise InvalidSignature("The Stripe-Signature header has no timestamp.")


def gateway_from_settings(settings: Settings) -> StripeGateway:
    """The gateway the settings describe; `PaymentsNotConfigured` (503) when Stripe is off."""
    if not settings.stripe_api_key or not settings.stripe_webhook_secret:
        raise PaymentsNotConfigured(
            "Card payments need TP_STRIPE_API_KEY and TP_STRIPE_WEBHOOK_SECRET."
        )
    return StripeGateway(
        settings.stripe_api_key,
        settings.stripe_webhook_secret,
        api_base=settings.stripe_api_base or None,
    )


def _is_deleted(customer: stripe.Customer) -> bool:
    return "deleted" in customer and bool(customer["deleted"])


def _intent_info(intent: stripe.PaymentIntent) -> PaymentIntentInfo:
    return PaymentIntentInfo(
        id=intent.id,
        client_secret=intent.client_secret or "",
        amount_pence=intent.amount,
        currency=intent.currency,
        status=intent.status,
    )


def _provider_error(exc: stripe.StripeError) -> PaymentProviderError:
    log.warning(
        "stripe_error",
        error=type(exc).__name__,
        http_status=exc.http_status,
        code=exc.code,
        request_id=exc.request_id,
        message=exc.user_message,
    )
    return PaymentProviderError(str(exc.user_message or "Stripe could not complete the request."))
