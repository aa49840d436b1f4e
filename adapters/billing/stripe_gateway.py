"""Stripe, behind our ports. For now: webhook signature verification with the official library
(HMAC-SHA256 over ``<t>.<raw body>``, any matching v1, constant-time, timestamp tolerance)."""

from __future__ import annotations

import json
from typing import Any

import stripe

from domain.shared.errors import DomainError


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
