"""Stripe webhooks: store every event once (the inbox), then apply it. Events come in any
order and more than once; applying them is idempotent and order-independent (see
Subscription.sync_from_stripe)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from application.billing.ports import BillingUnitOfWork
from application.shared.ports import Clock
from contracts.tenancy.dto import TaxProfile
from domain.billing.model import Invoice, Subscription
from domain.shared.time import utc_from_timestamp
from domain.shared.vat import platform_fee_vat

SUBSCRIPTION_EVENTS = {
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "customer.subscription.paused",
    "customer.subscription.resumed",
    "customer.subscription.trial_will_end",
}
INVOICE_EVENTS = {
    "invoice.finalized",
    "invoice.paid",
    "invoice.payment_failed",
    "invoice.payment_action_required",
}
# Handled types with nothing to change here: a customer's details live in Stripe; a refund is
# not reflected on our invoice copy (since API 2025-03-31 a charge no longer names its invoice;
# a credit note would). Stored and acknowledged.
ACKNOWLEDGED = {"customer.updated", "charge.refunded"}

# The vendor's tax profile (country, VAT id), from tenancy's directory.
TaxProfiles = Callable[[int], TaxProfile | None]


def receive_stripe_event(event: dict[str, Any], *, uow: BillingUnitOfWork, clock: Clock) -> bool:
    """Store a verified event; False for a redelivery (nothing to do)."""
    with uow:
        stored = uow.stripe_events.record(event, clock.now())
        uow.commit()
    return stored


def _ts(value: Any) -> datetime | None:
    return utc_from_timestamp(int(value)) if value else None


def _vendor(metadata: dict[str, Any] | None) -> int | None:
    raw = (metadata or {}).get("vendor_id")
    return int(raw) if raw not in (None, "") else None


def process_stripe_event(event_id: str, *, uow: BillingUnitOfWork, clock: Clock, tax_profiles: TaxProfiles) -> str:
    """Apply one stored event; returns its new status (processed, ignored or failed)."""
    with uow:
        stored = uow.stripe_events.get(event_id)
        if stored["status"] in ("processed", "ignored"):
            return stored["status"]
        event, kind = stored["payload"], stored["type"]
        obj = event.get("data", {}).get("object", {})
        at = _ts(event.get("created")) or clock.now()
        try:
            if kind in SUBSCRIPTION_EVENTS:
                status = _apply_subscription(uow, obj, at, deleted=kind == "customer.subscription.deleted")
            elif kind in INVOICE_EVENTS:
                status = mirror_invoice(uow, obj, at, tax_profiles)
            elif kind == "checkout.session.completed":
                status = _apply_checkout(uow, obj, clock.now())
            else:
                status = "processed" if kind in ACKNOWLEDGED else "ignored"
        except Exception as exc:
            uow.rollback()
            uow.stripe_events.mark(event_id, "failed", clock.now(), f"{type(exc).__name__}: {exc}"[:2000])
            uow.commit()
            raise
        uow.stripe_events.mark(event_id, status, clock.now())
        uow.commit()
        return status


def _apply_subscription(uow: BillingUnitOfWork, obj: dict[str, Any], at: datetime, *, deleted: bool) -> str:
    subscription = uow.subscription_by_stripe(obj.get("id"), _vendor(obj.get("metadata")))
    if subscription is None:
        return "ignored"  # not ours (or not yet linked): kept in the inbox for the record
    apply_subscription_object(uow, subscription, obj, at, deleted=deleted)
    return "processed"


def apply_subscription_object(uow: BillingUnitOfWork, subscription: Subscription, obj: dict[str, Any],
                              at: datetime, *, deleted: bool = False) -> bool:
    """Stripe's subscription object as of ``at`` (an event's, or a fresh read's, time)."""
    item = ((obj.get("items") or {}).get("data") or [{}])[0]
    return subscription.sync_from_stripe(
        at=at,
        status="canceled" if deleted else obj.get("status", ""),
        tier_code=uow.tier_by_price((item.get("price") or {}).get("id")),
        period_start=_ts(item.get("current_period_start")),
        period_end=_ts(item.get("current_period_end")),
        trial_end=_ts(obj.get("trial_end")),
        cancel_at_period_end=bool(obj.get("cancel_at_period_end")),
        customer_id=obj.get("customer"),
        subscription_id=obj.get("id"),
    )


def mirror_invoice(uow: BillingUnitOfWork, obj: dict[str, Any], at: datetime, tax_profiles: TaxProfiles) -> str:
    """Keep our copy of a Stripe invoice, with the VAT on it per the vendor's tax profile on the
    invoice's date. Since API 2025-03-31 the invoice names its subscription, and a copy of the
    subscription's metadata (our vendor id), under ``parent.subscription_details``: it links even
    when it arrives before the subscription's own events."""
    details = (obj.get("parent") or {}).get("subscription_details") or {}
    subscription = uow.subscription_by_stripe(details.get("subscription"), _vendor(details.get("metadata"))) \
        or uow.subscription_by_customer(obj.get("customer"))
    if subscription is None or not obj.get("id"):
        return "ignored"
    mirror_invoice_of(uow, subscription, obj, at, tax_profiles(subscription.vendor_id))
    return "processed"


def mirror_invoice_of(uow: BillingUnitOfWork, subscription: Subscription, obj: dict[str, Any], at: datetime,
                      profile: TaxProfile | None) -> None:
    """Mirror invoice ``obj`` (with an id) of ``subscription``, whose vendor has ``profile``."""
    if profile is None:
        raise LookupError(f"vendor {subscription.vendor_id} has no company to invoice")
    invoice = uow.invoice_by_stripe(obj["id"])
    if invoice is None:
        invoice = Invoice(vendor_id=subscription.vendor_id, platform_id=subscription.platform_id,
                          stripe_invoice_id=obj["id"], created_at=at, updated_at=at)
        uow.add_invoice(invoice)
    issued = _ts((obj.get("status_transitions") or {}).get("finalized_at")) or _ts(obj.get("created")) or at
    line = ((obj.get("lines") or {}).get("data") or [{}])[0].get("period") or {}
    net = obj.get("subtotal_excluding_tax")
    invoice.mirror(
        at=at, number=obj.get("number"), status=obj.get("status") or "open", currency=obj.get("currency") or "eur",
        net_cents=int(net if net is not None else obj.get("subtotal") or 0),
        vat=platform_fee_vat(profile.country, profile.vat_id, issued.date()), pdf_url=obj.get("invoice_pdf"),
        period_start=_ts(line.get("start") or obj.get("period_start")),
        period_end=_ts(line.get("end") or obj.get("period_end")), issued_at=issued)


def _apply_checkout(uow: BillingUnitOfWork, obj: dict[str, Any], now: datetime) -> str:
    subscription = uow.subscription_by_stripe(None, _vendor(obj.get("metadata")))
    if subscription is None:
        return "ignored"
    uow.checkouts.completed(obj.get("id", ""), now)
    subscription.stripe_customer_id = obj.get("customer") or subscription.stripe_customer_id
    subscription.stripe_subscription_id = obj.get("subscription") or subscription.stripe_subscription_id
    return "processed"


def pending_stripe_events(*, uow: BillingUnitOfWork, max_attempts: int) -> list[str]:
    with uow:
        return uow.stripe_events.pending(max_attempts)
