"""Usage counters fed by other modules' integration events. Each handler runs in the
subscriber's inbox transaction, so a redelivered event counts once."""

from __future__ import annotations

from application.shared.context import ModuleContext
from contracts.catalog.events import ActiveProductsChanged
from contracts.marketplace.events import ImportJobQueued
from contracts.orders.events import OrderPlaced
from contracts.shared.events import IntegrationEvent
from contracts.tenancy.events import TeamSizeChanged
from domain.billing.model import GAUGE_WINDOW, usage_windows


def _count(event: IntegrationEvent, ctx: ModuleContext, metric: str, *, delta: int = 0,
           gauge: int | None = None) -> None:
    assert event.platform_id is not None and event.vendor_id is not None
    with ctx.unit_of_work() as uow:
        subscription = uow.subscriptions(event.platform_id).find(event.vendor_id)
        if subscription is None:  # billing was off when the vendor was created: nothing to count
            return
        if gauge is not None:
            uow.usage.set(event.vendor_id, metric, GAUGE_WINDOW, gauge)
        else:
            uow.usage.add(event.vendor_id, metric, usage_windows(subscription, event.occurred_at)[metric], delta)
        uow.commit()


def count_order(event: OrderPlaced, ctx: ModuleContext) -> None:
    """One more order in the period the order was placed in."""
    _count(event, ctx, "orders", delta=1)


def count_team(event: TeamSizeChanged, ctx: ModuleContext) -> None:
    _count(event, ctx, "team_members", gauge=event.members)


def count_import_job(event: ImportJobQueued, ctx: ModuleContext) -> None:
    """One more import job on the (UTC) day it was queued."""
    _count(event, ctx, "import_jobs", delta=1)


def count_products(event: ActiveProductsChanged, ctx: ModuleContext) -> None:
    _count(event, ctx, "products", gauge=event.active)
