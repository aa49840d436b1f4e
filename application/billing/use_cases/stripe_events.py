"""Stripe webhooks: store every event once (the inbox), then apply it. Events come in any
order and more than once; applying them is idempotent and order-independent (see
Subscription.sync_from_stripe)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from application.billing.ports import BillingUnitOfWork
from application.shared.ports import Clock

SUBSCRIPTION_EVENTS = {
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "customer.subscription.paused",
    "customer.subscription.resumed",
    "customer.subscription.trial_will_end",
}
# Handled types whose effect arrives with the subscription events (or, for invoices and
# refunds, with invoice mirroring, which is not built yet): stored and acknowledged.
ACKNOWLEDGED = {
    "invoice.paid",
    "invoice.payment_failed",
    "invoice.payment_action_required",
    "invoice.finalized",
    "customer.updated",
    "charge.refunded",
}


def receive_stripe_event(event: dict[str, Any], *, uow: BillingUnitOfWork, clock: Clock) -> bool:
    """Store a verified event; False for a redelivery (nothing to do)."""
    with uow:
        stored = uow.stripe_events.record(event, clock.now())
        uow.commit()
    return stored


def _ts(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if value else None


def _vendor(metadata: dict[str, Any] | None) -> int | None:
    raw = (metadata or {}).get("vendor_id")
    return int(raw) if raw not in (None, "") else None


def process_stripe_event(event_id: str, *, uow: BillingUnitOfWork, clock: Clock) -> str:
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
            elif kind == "checkout.session.completed":
                status = _apply_checkout(uow, obj)
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
    items = (obj.get("items") or {}).get("data") or [{}]
    item = items[0]
    subscription.sync_from_stripe(
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
    return "processed"


def _apply_checkout(uow: BillingUnitOfWork, obj: dict[str, Any]) -> str:
    subscription = uow.subscription_by_stripe(None, _vendor(obj.get("metadata")))
    if subscription is None:
        return "ignored"
    subscription.stripe_customer_id = obj.get("customer") or subscription.stripe_customer_id
    subscription.stripe_subscription_id = obj.get("subscription") or subscription.stripe_subscription_id
    return "processed"


def pending_stripe_events(*, uow: BillingUnitOfWork, max_attempts: int) -> list[str]:
    with uow:
        return uow.stripe_events.pending(max_attempts)
