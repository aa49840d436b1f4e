"""Paying through Stripe: checkout for a tier, the billing portal. Nothing local changes until
Stripe answers; the subscription itself changes when Stripe's webhooks arrive."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import attrs

from application.billing.config import BillingConfig
from application.billing.ports import BillingGateway, BillingUnitOfWork
from application.billing.use_cases.subscriptions import change_subscription, get_subscription
from application.shared.ports import Clock
from contracts.billing.dto import SubscriptionView
from contracts.tenancy.facade import ModuleDirectory
from domain.billing.model import ACCESS_STATES, Subscription
from domain.shared.errors import Conflict, FieldError, NotFound, PaymentProviderError, ValidationFailed


@attrs.frozen(kw_only=True)
class StartCheckout:
    platform_id: int
    vendor_id: int
    tier: str
    interval: Literal["month", "year"]
    attempt: str  # the client's retry token: the same one replays, a new one starts afresh


def _gateway(gateway: BillingGateway | None) -> BillingGateway:
    if gateway is None:
        raise PaymentProviderError("payments are not configured (BILLING_STRIPE_API_KEY)")
    return gateway


def start_checkout(cmd: StartCheckout, *, uow: BillingUnitOfWork, gateway: BillingGateway | None,
                   config: BillingConfig, clock: Clock, directory: ModuleDirectory) -> str:
    """A Stripe Checkout URL for the tier and interval. Retrying with the same ``attempt`` uses
    the same idempotency keys, so Stripe returns the first answer instead of creating twice. The
    vendor's name (tenancy's directory) is asked only to create its Stripe customer."""
    gateway = _gateway(gateway)
    with uow:
        subscription = uow.subscriptions(cmd.platform_id).of_vendor(cmd.vendor_id)
        tier = uow.tiers.get(cmd.tier)
        if tier.retired or not tier.public:
            raise Conflict(f"tier '{tier.code}' cannot be chosen", field="tier")
        price = tier.stripe_monthly_price_id if cmd.interval == "month" else tier.stripe_annual_price_id
        if not price:
            raise ValidationFailed(errors=[FieldError("interval", f"tier '{tier.code}' has no {cmd.interval}ly price")])
        customer, tier_code = subscription.stripe_customer_id, tier.code
    if customer is None:
        name = directory.vendor_name(cmd.vendor_id)
        if name is None:
            raise NotFound(f"vendor {cmd.vendor_id} not found")
        customer = gateway.create_customer(vendor_id=cmd.vendor_id, platform_id=cmd.platform_id,
                                           name=name, idempotency_key=f"customer-{cmd.vendor_id}")
    session_id, url = gateway.create_checkout_session(
        customer_id=customer, price_id=price, vendor_id=cmd.vendor_id, platform_id=cmd.platform_id,
        success_url=f"{config.public_url}/vendor/billing?checkout=done",
        cancel_url=f"{config.public_url}/vendor/billing?checkout=cancelled",
        idempotency_key=f"checkout-{cmd.vendor_id}-{cmd.tier}-{cmd.interval}-{cmd.attempt}",
    )
    with uow:  # only now, with both answers in hand, remember the customer and the session
        subscription = uow.subscriptions(cmd.platform_id).of_vendor(cmd.vendor_id)
        subscription.stripe_customer_id = subscription.stripe_customer_id or customer
        uow.checkouts.opened(session_id, cmd.vendor_id, tier_code, clock.now())
        uow.commit()
    return url


def open_portal(platform_id: int, vendor_id: int, *, uow: BillingUnitOfWork, gateway: BillingGateway | None,
                config: BillingConfig) -> str:
    gateway = _gateway(gateway)
    with uow:
        customer = uow.subscriptions(platform_id).of_vendor(vendor_id).stripe_customer_id
    if customer is None:
        raise Conflict("no Stripe customer yet: start a checkout first", field="subscription")
    return gateway.create_portal_session(customer_id=customer, return_url=f"{config.public_url}/vendor/billing")


def set_cancel_at_period_end(
    platform_id: int, vendor_id: int, cancel: bool, *, uow: BillingUnitOfWork, gateway: BillingGateway | None,
    actor: str, now: datetime,
) -> SubscriptionView:
    """Cancel at period end, or undo it. A paid subscription is changed in Stripe first — outside
    our transaction — and Stripe's webhook confirms; a trial changes only here."""
    current = get_subscription(platform_id, vendor_id, uow=uow)
    if current.stripe_subscription_id and current.state in ACCESS_STATES:
        _gateway(gateway).set_cancel_at_period_end(
            subscription_id=current.stripe_subscription_id, cancel=cancel,
            idempotency_key=f"cancel-{current.stripe_subscription_id}-{cancel}")

    def change(subscription: Subscription, _uow: BillingUnitOfWork) -> str:
        if cancel:
            subscription.cancel_at_end(now)
            return "subscription.cancel_requested"
        subscription.reactivate(now)
        return "subscription.reactivated"

    return change_subscription(platform_id, vendor_id, change, uow=uow, actor=actor, now=now)
