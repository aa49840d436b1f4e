"""Reconciling local subscriptions with Stripe (the hourly sync_stripe_status task)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from application.billing.ports import BillingGateway, BillingUnitOfWork
from application.billing.use_cases.stripe_events import (
    TaxProfiles,
    apply_subscription_object,
    mirror_invoice_of,
)
from application.shared.ports import Clock
from domain.shared.errors import PaymentProviderError

log = logging.getLogger("wizamart.billing")


def reconcile_with_stripe(platforms: list[int], *, uow_factory: Callable[[], BillingUnitOfWork],
                          gateway: BillingGateway, clock: Clock, tax_profiles: TaxProfiles,
                          check_cancelled: Callable[[], None]) -> dict[str, Any]:
    """Read each linked subscription and its invoices from Stripe and apply them, one vendor per
    transaction; Stripe's answers are fetched before the transaction opens. A vendor Stripe
    cannot answer for is counted as failed and tried again at the next run."""
    with uow_factory() as uow:
        linked = [(s.platform_id, s.vendor_id, s.stripe_subscription_id, s.stripe_customer_id)
                  for s in uow.linked_subscriptions(platforms)]
    counts = {"checked": 0, "drifted": 0, "invoices": 0, "failed": 0}
    for platform_id, vendor_id, subscription_id, customer_id in linked:
        check_cancelled()
        try:
            remote = gateway.get_subscription(subscription_id)
            invoices = gateway.list_invoices(customer_id) if customer_id else []
        except PaymentProviderError:
            counts["failed"] += 1
            continue
        try:
            drifted, mirrored = _apply(platform_id, vendor_id, remote, invoices, uow_factory, clock, tax_profiles)
        except Exception:  # one vendor's bad data must not stop the others; logged, retried next hour
            log.exception("sync with Stripe failed for vendor %s", vendor_id)
            counts["failed"] += 1
            continue
        counts["drifted"] += drifted
        counts["invoices"] += mirrored
        counts["checked"] += 1
    return counts


def _apply(platform_id: int, vendor_id: int, remote: dict[str, Any], invoices: list[dict[str, Any]],
           uow_factory: Callable[[], BillingUnitOfWork], clock: Clock, tax_profiles: TaxProfiles) -> tuple[bool, int]:
    now = clock.now()
    with uow_factory() as uow:
        subscription = uow.subscriptions(platform_id).of_vendor(vendor_id)
        before = subscription.stripe_view()
        # Read after every event applied so far was created: it wins over them even when
        # Stripe's clock runs ahead of ours.
        at = max(now, subscription.stripe_event_at or now)
        apply_subscription_object(uow, subscription, remote, at)
        # The customer's invoices are this subscription's: its vendor's tax profile is read once.
        invoices = [i for i in invoices if i.get("id")]
        profile = tax_profiles(vendor_id) if invoices else None
        for invoice in invoices:
            mirror_invoice_of(uow, subscription, invoice, at, profile)
        uow.commit()
        return subscription.stripe_view() != before, len(invoices)
