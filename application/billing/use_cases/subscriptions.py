"""Vendor subscriptions: the trial a new vendor starts with, and the changes admins and vendors
make to it (Stripe-driven changes arrive with the webhooks)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from application.billing.config import BillingConfig
from application.billing.ports import BillingUnitOfWork
from application.shared.context import ModuleContext
from contracts.billing.dto import SubscriptionView
from contracts.tenancy.events import ModuleEnabled, VendorCreated
from domain.billing.model import Subscription


def _start_trials(platform_id: int, vendor_ids: list[int], ctx: ModuleContext) -> int:
    """A trial of BILLING_TRIAL_DAYS on the default tier for each vendor without a subscription."""
    config: BillingConfig = ctx.config
    with ctx.unit_of_work() as uow:
        subscriptions = uow.subscriptions(platform_id)
        missing = [v for v in vendor_ids if subscriptions.find(v) is None]
        if missing:
            uow.tiers.get(config.default_tier)  # the default tier must exist
        for vendor_id in missing:
            subscriptions.add(Subscription.start_trial(
                vendor_id=vendor_id, platform_id=platform_id, tier_code=config.default_tier,
                now=ctx.clock.now(), trial_days=config.trial_days))
        uow.commit()
    return len(missing)


def start_trial_for_new_vendor(event: VendorCreated, ctx: ModuleContext) -> None:
    """Subscriber of tenancy's VendorCreated: one subscription per vendor. A redelivered event
    changes nothing."""
    assert event.platform_id is not None and event.vendor_id is not None
    _start_trials(event.platform_id, [event.vendor_id], ctx)


def start_trials_when_enabled(event: ModuleEnabled, ctx: ModuleContext) -> None:
    """Billing switched on for a platform: its vendors created while it was off start a trial
    now (those with a subscription from an earlier time keep it)."""
    if event.module == "billing" and event.platform_id is not None:
        _start_trials(event.platform_id, ctx.facades("tenancy").directory.vendors_of(event.platform_id), ctx)


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
    uow: BillingUnitOfWork, actor: str, now: datetime,
) -> SubscriptionView:
    """Apply one domain change to a vendor's subscription, audited with the action it returns."""
    with uow:
        subscription = uow.subscriptions(platform_id).of_vendor(vendor_id)
        action = change(subscription, uow)
        uow.audit(action, actor=actor, at=now, target_type="subscription", target_id=vendor_id,
                  platform_id=platform_id, vendor_id=vendor_id)
        uow.commit()
        return SubscriptionView.model_validate(subscription)


def override_tier(platform_id: int, vendor_id: int, tier: str, *, uow: BillingUnitOfWork, actor: str,
                  now: datetime) -> SubscriptionView:
    """Put a vendor on another tier (admin override; Stripe is not told)."""
    def change(subscription: Subscription, uow: BillingUnitOfWork) -> str:
        subscription.change_tier(uow.tiers.get(tier), now)
        return "subscription.tier_overridden"

    return change_subscription(platform_id, vendor_id, change, uow=uow, actor=actor, now=now)


def extend_trial(platform_id: int, vendor_id: int, days: int, *, uow: BillingUnitOfWork, actor: str,
                 now: datetime) -> SubscriptionView:
    def change(subscription: Subscription, _uow: BillingUnitOfWork) -> str:
        subscription.extend_trial(days, now)
        return "subscription.trial_extended"

    return change_subscription(platform_id, vendor_id, change, uow=uow, actor=actor, now=now)
