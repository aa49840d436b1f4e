"""Signed Stripe webhook events, built the way Stripe builds them (reference/stripe.md):
``Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the secret>``."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from typing import Any

API_VERSION = "2026-10-28.endive"  # the version the pinned stripe package speaks


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def event(kind: str, obj: dict[str, Any], *, created: int, event_id: str | None = None) -> dict[str, Any]:
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex[:24]}",
        "object": "event",
        "api_version": API_VERSION,
        "created": created,
        "type": kind,
        "livemode": False,
        "data": {"object": obj, "previous_attributes": {}},
    }


def subscription(sub_id: str, *, vendor_id: int, status: str, price: str, start: int, end: int,
                 cancel_at_period_end: bool = False, trial_end: int | None = None) -> dict[str, Any]:
    """A subscription object as of API 2025-03-31+: the period lives on the item."""
    return {
        "id": sub_id,
        "object": "subscription",
        "customer": f"cus_{vendor_id}",
        "status": status,
        "cancel_at_period_end": cancel_at_period_end,
        "trial_end": trial_end,
        "metadata": {"vendor_id": str(vendor_id)},
        "items": {"object": "list", "data": [{
            "id": f"si_{sub_id}", "object": "subscription_item", "price": {"id": price, "object": "price"},
            "current_period_start": start, "current_period_end": end,
        }]},
    }


def invoice(invoice_id: str, *, number: str, customer: str, subscription: str, vendor_id: int, amount: int,
            start: int, end: int, status: str = "open") -> dict[str, Any]:
    """An invoice as of API 2025-03-31+: its subscription is under ``parent``; prices are net
    (tax-exclusive), so total equals subtotal when Stripe computes no tax."""
    return {
        "id": invoice_id,
        "object": "invoice",
        "number": number,
        "customer": customer,
        "status": status,
        "currency": "eur",
        "created": start,
        "subtotal": amount,
        "subtotal_excluding_tax": amount,
        "total": amount,
        "invoice_pdf": f"https://pay.stripe.test/invoice/{invoice_id}/pdf",
        "status_transitions": {"finalized_at": start},
        "parent": {"type": "subscription_details",
                   "subscription_details": {"subscription": subscription,
                                            "metadata": {"vendor_id": str(vendor_id)}}},
        "lines": {"object": "list", "data": [{"id": f"il_{invoice_id}", "object": "line_item", "amount": amount,
                                              "period": {"start": start, "end": end}}]},
    }


def body(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()
