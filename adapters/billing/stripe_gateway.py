"""Stripe, behind our ports: the BillingGateway on the official client, and webhook signature
verification (HMAC-SHA256 over ``<t>.<raw body>``, any matching v1, constant time, tolerance)."""

from __future__ import annotations

import json
from typing import Any

import stripe

from domain.shared.errors import DomainError, PaymentProviderError


class InvalidWebhook(DomainError):
    """A webhook whose signature, timestamp or body does not check out."""

    kind = "invalid-webhook"


def verify_webhook(payload: bytes, header: str | None, secret: str, tolerance: int) -> dict[str, Any]:
    """The event of a correctly signed, recent webhook; InvalidWebhook otherwise. The raw body
    bytes are verified, never re-serialised JSON."""
    if not header:
        raise InvalidWebhook("missing Stripe-Signature header")
    try:
        stripe.WebhookSignature.verify_header(payload, header, secret, tolerance)
    except stripe.SignatureVerificationError as exc:
        raise InvalidWebhook(f"signature verification failed: {exc.user_message or exc}") from None
    try:
        event = json.loads(payload)
    except ValueError:
        raise InvalidWebhook("body is not JSON") from None
    if not isinstance(event, dict) or event.get("object") != "event" or not event.get("id"):
        raise InvalidWebhook("body is not a Stripe event")
    return event


class StripeBillingGateway:
    """BillingGateway on the official client. The client retries 429, 5xx and network errors
    itself (``max_network_retries``, with backoff), reusing the idempotency key, so a retry never
    creates twice; 4xx answers are not retried."""

    def __init__(self, api_key: str, api_url: str, *, timeout: float = 10.0, retries: int = 2) -> None:
        self._client = stripe.StripeClient(
            api_key,
            base_addresses={"api": api_url},
            max_network_retries=retries,
            http_client=stripe.HTTPXClient(timeout=timeout, allow_sync_methods=True),
        )

    def _call(self, what: str, fn: Any, params: dict[str, Any], key: str | None = None) -> Any:
        options = {"idempotency_key": key} if key else None
        try:
            return fn(params=params, options=options)
        except stripe.StripeError as exc:
            status = getattr(exc, "http_status", None)
            raise PaymentProviderError(
                f"Stripe could not {what} ({status or 'no answer'}): {exc.user_message or 'try again later'}",
                provider_status=status or 0,
            ) from None

    def create_customer(self, *, vendor_id: int, platform_id: int, name: str, idempotency_key: str) -> str:
        customer = self._call("create the customer", self._client.v1.customers.create,
                              {"name": name, "metadata": {"vendor_id": str(vendor_id), "platform_id": str(platform_id)}},
                              idempotency_key)
        return customer.id

    def create_checkout_session(self, *, customer_id: str, price_id: str, vendor_id: int, platform_id: int,
                                success_url: str, cancel_url: str, idempotency_key: str) -> tuple[str, str]:
        metadata = {"vendor_id": str(vendor_id), "platform_id": str(platform_id)}
        session = self._call("start the checkout", self._client.v1.checkout.sessions.create, {
            "mode": "subscription", "customer": customer_id, "line_items": [{"price": price_id, "quantity": 1}],
            "success_url": success_url, "cancel_url": cancel_url, "metadata": metadata,
            "subscription_data": {"metadata": metadata},
        }, idempotency_key)
        return session.id, session.url

    def create_portal_session(self, *, customer_id: str, return_url: str) -> str:
        session = self._call("open the billing portal", self._client.v1.billing_portal.sessions.create,
                             {"customer": customer_id, "return_url": return_url})
        return session.url

    def set_cancel_at_period_end(self, *, subscription_id: str, cancel: bool, idempotency_key: str) -> None:
        self._call("update the subscription",
                   lambda params, options: self._client.v1.subscriptions.update(subscription_id, params=params,
                                                                                options=options),
                   {"cancel_at_period_end": cancel}, idempotency_key)

    def get_subscription(self, subscription_id: str) -> dict[str, Any]:
        found = self._call("read the subscription",
                           lambda params, options: self._client.v1.subscriptions.retrieve(subscription_id),
                           {})
        return found.to_dict()

    def list_invoices(self, customer_id: str, *, limit: int = 24) -> list[dict[str, Any]]:
        page = self._call("list the invoices", self._client.v1.invoices.list,
                          {"customer": customer_id, "limit": limit})
        return [invoice.to_dict() for invoice in page.data]
