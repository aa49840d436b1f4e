"""Vendor subscriptions: the trial a new vendor starts with, and the changes admins and vendors
make to it (Stripe-driven changes arrive with the webhooks)."""

from __future__ import annotations

from collections.abc import Callable

from application.billing.config import BillingConfig
from application.billing.ports import BillingUnitOfWork
from application.shared.context import ModuleContext
from contracts.billing.dto import SubscriptionView
from contracts.tenancy.events import VendorCreated
from domain.billing.model import Subscription


def start_trial_for_new_vendor(event: VendorCreated, ctx: ModuleContext) -> None:
    """Subscriber of tenancy's VendorCreated: one subscription per vendor, on a trial of
    BILLING_TRIAL_DAYS of the default tier. A redelivered event changes nothing."""
    config: BillingConfig = ctx.config
    assert event.platform_id is not None and event.vendor_id is not None
    with ctx.unit_of_work() as uow:
        subscriptions = uow.subscriptions(event.platform_id)
        if subscriptions.find(event.vendor_id) is not None:
            return
        uow.tiers.get(config.default_tier)  # the default tier must exist
        subscriptions.add(Subscription.start_trial(
            vendor_id=event.vendor_id, platform_id=event.platform_id, tier_code=config.default_tier,
            now=ctx.clock.now(), trial_days=config.trial_days))
        uow.commit()


def get_subscription(platform_id: int, vendor_id: int, *, uow: BillingUnitOfWork) -> SubscriptionView:
    with uow:
        return SubscriptionView.model_validate(uow.subscriptions(platform_id).of_vendor(vendor_id))


def list_subscriptions(platform_id: int, *, uow: BillingUnitOfWork, state: str | None = None,
                       tier: str | None = None) -> list[SubscriptionView]:
    with uow:
        return [SubscriptionView.model_validate(s)
                for s in uow.subscriptions(platform_id).list(state=state, tier=tier)]


def change_subscription(
    platform_id: int, vendor_id: int, change: Callable[[Subscription, BillingUnitOfWork], str], *,
    uow: BillingUnitOfWork, actor: str, now,  # type: ignore[no-untyped-def]
) -> SubscriptionView:
    """Apply one domain change to a vendor's subscription, audited with the action it returns."""
    with uow:
        subscription = uow.subscriptions(platform_id).of_vendor(vendor_id)
        action = change(subscription, uow)
        uow.audit(action, actor=actor, at=now, target_type="subscription", target_id=vendor_id,
                  platform_id=platform_id, vendor_id=vendor_id)
        uow.commit()
        return SubscriptionView.model_validate(subscription)
