from __future__ import annotations

from datetime import datetime

from application.billing.ports import BillingUnitOfWork
from contracts.billing.dto import UsageLine
from domain.billing.model import METRICS, remaining, usage_windows


def usage_of(platform_id: int, vendor_id: int, now: datetime, *, uow: BillingUnitOfWork) -> list[UsageLine]:
    """Usage against the plan's limits, per metric."""
    with uow:
        subscription = uow.subscriptions(platform_id).of_vendor(vendor_id)
        tier = uow.tiers.get(subscription.tier_code)
        limits = {m: tier.limit(m) for m in METRICS}
        used = uow.usage.used(vendor_id, usage_windows(subscription, now))
    return [
        UsageLine(metric=m, used=used.get(m, 0), limit=limits[m], remaining=remaining(limits[m], used.get(m, 0)))
        for m in METRICS
    ]
