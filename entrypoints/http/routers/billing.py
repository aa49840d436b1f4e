"""HTTP routes of the billing module: tiers (operators), subscriptions (platform admins), the
vendor's own subscription and usage. Mounted behind require_module("billing")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from adapters.billing.stripe_gateway import InvalidWebhook, verify_webhook
from application.billing.use_cases.checkout import (
    StartCheckout,
    open_portal,
    set_cancel_at_period_end,
    start_checkout,
)
from application.billing.use_cases.invoices import list_invoices
from application.billing.use_cases.manage_tiers import (
    create_tier,
    delete_tier,
    list_tiers,
    retire_tier,
    update_tier,
)
from application.billing.use_cases.stripe_events import receive_stripe_event
from application.billing.use_cases.subscriptions import extend_trial as extend_trial_of
from application.billing.use_cases.subscriptions import (
    get_subscription,
    list_subscriptions,
)
from application.billing.use_cases.subscriptions import override_tier as override_tier_of
from application.billing.use_cases.usage import usage_of
from application.tenancy.access import Access
from contracts.billing.dto import (
    CheckoutIn,
    ExtendTrialIn,
    InvoiceView,
    SubscriptionView,
    TierChangeIn,
    TierIn,
    TierPatch,
    TierView,
    UsageLine,
)
from entrypoints.bootstrap import Container
from entrypoints.http.auth import authorize
from entrypoints.http.deps import ContainerDep

router = APIRouter(tags=["billing"])

TiersManage = Annotated[Access, authorize("billing.tiers.manage")]
SubscriptionsManage = Annotated[Access, authorize("billing.subscriptions.manage")]
BillingView = Annotated[Access, authorize("billing.view")]
BillingManage = Annotated[Access, authorize("billing.manage")]
Authenticated = Annotated[Access, authorize(None)]

TIERS = "/api/v1/admin/billing/tiers"
PLATFORM = "/api/v1/admin/platforms/{platform_id}/billing"
VENDOR = "/api/v1/vendor/{vendor_id}/billing"


def _uow(container: Container, *, read_only: bool = False):  # type: ignore[no-untyped-def]
    """Reads are read-only: on SQLite they do not take the write lock."""
    return container.unit_of_work("billing", read_only=read_only)


@router.get(TIERS, response_model=list[TierView])
def tiers(_: Authenticated, container: ContainerDep, public_only: bool = False) -> list[TierView]:
    """The plan tiers (any signed-in user; ``public_only`` for what a vendor may choose)."""
    return list_tiers(uow=_uow(container, read_only=True), public_only=public_only)


@router.post(TIERS, response_model=TierView, status_code=201)
def create_tier_route(body: TierIn, access: TiersManage, container: ContainerDep) -> TierView:
    return create_tier(body, uow=_uow(container), actor=access.actor, now=container.clock.now())


@router.patch(f"{TIERS}/{{code}}", response_model=TierView)
def update_tier_route(code: str, body: TierPatch, access: TiersManage, container: ContainerDep) -> TierView:
    return update_tier(code, body, uow=_uow(container), actor=access.actor, now=container.clock.now())


@router.post(f"{TIERS}/{{code}}/retire", response_model=TierView)
def retire_tier_route(code: str, access: TiersManage, container: ContainerDep) -> TierView:
    """A retired tier keeps its subscribers and can no longer be chosen."""
    return retire_tier(code, uow=_uow(container), actor=access.actor, now=container.clock.now())


@router.delete(f"{TIERS}/{{code}}", status_code=204)
def delete_tier_route(code: str, access: TiersManage, container: ContainerDep) -> Response:
    """Only a tier nobody subscribes to can be deleted (409 otherwise: retire it)."""
    delete_tier(code, uow=_uow(container), actor=access.actor, now=container.clock.now())
    return Response(status_code=204)


@router.get(f"{PLATFORM}/subscriptions", response_model=list[SubscriptionView])
def subscriptions(platform_id: int, _: SubscriptionsManage, container: ContainerDep,
                  state: str | None = None, tier: str | None = None) -> list[SubscriptionView]:
    return list_subscriptions(platform_id, uow=_uow(container, read_only=True), state=state, tier=tier)


@router.post(f"{PLATFORM}/subscriptions/{{vendor_id}}/tier", response_model=SubscriptionView)
def override_tier(platform_id: int, vendor_id: int, body: TierChangeIn, access: SubscriptionsManage,
                  container: ContainerDep) -> SubscriptionView:
    """Put a vendor on another tier (admin override)."""
    return override_tier_of(platform_id, vendor_id, body.tier, uow=_uow(container), actor=access.actor,
                            now=container.clock.now())


@router.post(f"{PLATFORM}/subscriptions/{{vendor_id}}/extend-trial", response_model=SubscriptionView)
def extend_trial(platform_id: int, vendor_id: int, body: ExtendTrialIn, access: SubscriptionsManage,
                 container: ContainerDep) -> SubscriptionView:
    return extend_trial_of(platform_id, vendor_id, body.days, uow=_uow(container), actor=access.actor,
                           now=container.clock.now())


@router.get(f"{VENDOR}/subscription", response_model=SubscriptionView)
def my_subscription(vendor_id: int, access: BillingView, container: ContainerDep) -> SubscriptionView:
    return get_subscription(access.platform_id, vendor_id, uow=_uow(container, read_only=True))  # type: ignore[arg-type]


@router.get(f"{VENDOR}/usage", response_model=list[UsageLine])
def my_usage(vendor_id: int, access: BillingView, container: ContainerDep) -> list[UsageLine]:
    """Usage in the current period (import jobs: today) against the plan's limits."""
    return usage_of(access.platform_id, vendor_id, container.clock.now(),  # type: ignore[arg-type]
                    uow=_uow(container, read_only=True))


def _set_cancel(container: Container, access: Access, vendor_id: int, cancel: bool) -> SubscriptionView:
    return set_cancel_at_period_end(access.platform_id, vendor_id, cancel, uow=_uow(container),  # type: ignore[arg-type]
                                    gateway=container.module_services("billing").gateway, actor=access.actor,
                                    now=container.clock.now())


@router.get(f"{VENDOR}/invoices", response_model=list[InvoiceView])
def invoices(vendor_id: int, access: BillingView, container: ContainerDep) -> list[InvoiceView]:
    """The platform's invoices to the vendor, with Luxembourg VAT (or reverse charge)."""
    return list_invoices(access.platform_id, vendor_id, uow=_uow(container, read_only=True))  # type: ignore[arg-type]


@router.post(f"{VENDOR}/checkout")
def checkout(vendor_id: int, body: CheckoutIn, access: BillingManage, container: ContainerDep) -> dict[str, str]:
    """Start paying for a tier: answers the Stripe Checkout URL to send the vendor to. Send the
    same ``attempt`` when retrying after an error: nothing is created twice."""
    url = start_checkout(
        StartCheckout(platform_id=access.platform_id, vendor_id=vendor_id,  # type: ignore[arg-type]
                      tier=body.tier, interval=body.interval, attempt=body.attempt),
        uow=_uow(container), gateway=container.module_services("billing").gateway,
        config=container.configuration.module("billing"), clock=container.clock,
        directory=container.module_services("tenancy").directory)
    return {"url": url}


@router.post(f"{VENDOR}/portal")
def portal(vendor_id: int, access: BillingManage, container: ContainerDep) -> dict[str, str]:
    """A Stripe billing-portal URL (payment methods, invoices)."""
    url = open_portal(access.platform_id, vendor_id, uow=_uow(container),  # type: ignore[arg-type]
                      gateway=container.module_services("billing").gateway,
                      config=container.configuration.module("billing"))
    return {"url": url}


@router.post(f"{VENDOR}/cancel", response_model=SubscriptionView)
def cancel(vendor_id: int, access: BillingManage, container: ContainerDep) -> SubscriptionView:
    """Cancel at the end of the current period (access stays until then)."""
    return _set_cancel(container, access, vendor_id, True)


@router.post(f"{VENDOR}/reactivate", response_model=SubscriptionView)
def reactivate(vendor_id: int, access: BillingManage, container: ContainerDep) -> SubscriptionView:
    """Undo a cancellation at period end."""
    return _set_cancel(container, access, vendor_id, False)


# Webhooks carry no bearer token: mounted without authentication or module gating, verified
# by their signature instead.
public_router = APIRouter(tags=["billing"])


@public_router.post("/api/v1/webhooks/stripe", responses={400: {"description": "Bad signature or body"}})
async def stripe_webhook(request: Request, container: ContainerDep) -> dict[str, bool]:
    """Verify the signature on the raw body, store the event once, acknowledge; processing runs
    in a task (retried, never lost). Unknown event types are stored and acknowledged."""
    config = container.configuration.module("billing")
    if config.stripe_webhook_secret is None:
        raise InvalidWebhook("no webhook secret configured (BILLING_STRIPE_WEBHOOK_SECRET)")
    payload = await request.body()
    event = verify_webhook(payload, request.headers.get("stripe-signature"),
                           config.stripe_webhook_secret.get_secret_value(), config.stripe_webhook_tolerance_seconds)
    stored = await run_in_threadpool(receive_stripe_event, event, uow=_uow(container), clock=container.clock)
    if stored:
        await run_in_threadpool(container.task_queue.enqueue, "billing.process_stripe_events")
    return {"received": True}
