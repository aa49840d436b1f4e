"""The billing module's scheduled tasks. Each is idempotent per slot by its state checks
(a second run finds nothing left to change) and skips platforms where billing is off."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from application.billing.use_cases.reconcile import reconcile_with_stripe
from application.billing.use_cases.stripe_events import pending_stripe_events, process_stripe_event
from application.shared.context import TaskContext
from contracts.billing.events import TrialEndingSoon, TrialExpired
from contracts.tenancy.facade import ModuleDirectory

ABANDONED_CHECKOUT = timedelta(hours=24)


def _directory(ctx: TaskContext) -> ModuleDirectory:
    """Tenancy's facade: which platforms have billing on, vendors' tax profiles."""
    return ctx.facades("tenancy").directory


def reset_period_counters(ctx: TaskContext) -> dict[str, Any]:
    """Roll every subscription whose period ended to its next period; usage is counted per
    period, so the new period starts at zero. Set-based: one UPDATE per period skipped."""
    platforms = _directory(ctx).platforms_with("billing")
    with ctx.unit_of_work() as uow:
        cancelled = uow.maintenance.end_cancelled(ctx.clock.now(), platforms)
        rolled = uow.maintenance.roll_periods(ctx.clock.now(), platforms)
        uow.commit()
    return {"rolled": rolled, "cancelled": cancelled, "platforms": len(platforms)}


def check_trial_expirations(ctx: TaskContext) -> dict[str, Any]:
    """Trials that ended without a payment method expire (TrialExpired); trials ending within
    BILLING_TRIAL_WARNING_DAYS publish TrialEndingSoon once."""
    now = ctx.clock.now()
    platforms = _directory(ctx).platforms_with("billing")
    with ctx.unit_of_work() as uow:
        expired = uow.maintenance.expire_trials(now, platforms)
        ending = uow.maintenance.trials_ending(now, now + timedelta(days=ctx.config.trial_warning_days), platforms)
        for vendor_id, platform_id in expired:
            uow.publish(TrialExpired(occurred_at=now, vendor_id=vendor_id, platform_id=platform_id))
        for vendor_id, platform_id, trial_end in ending:
            uow.publish(TrialEndingSoon(occurred_at=now, vendor_id=vendor_id, platform_id=platform_id,
                                        trial_end=trial_end))
        uow.commit()
    return {"expired": len(expired), "ending_soon": len(ending)}


def process_stripe_events(ctx: TaskContext) -> dict[str, Any]:
    """Apply the stored Stripe events not applied yet (new ones, and failed ones again until
    BILLING_STRIPE_EVENT_ATTEMPTS). Idempotent: applied events are skipped."""
    counts: dict[str, int] = {}
    for event_id in pending_stripe_events(uow=ctx.unit_of_work(), max_attempts=ctx.config.stripe_event_attempts):
        ctx.check_cancelled()
        try:
            status = process_stripe_event(event_id, uow=ctx.unit_of_work(), clock=ctx.clock,
                                          tax_profiles=_directory(ctx).tax_profile)
        except Exception:  # recorded as failed on the event; the next run tries again
            status = "failed"
        counts[status] = counts.get(status, 0) + 1
    return counts


def sync_stripe_status(ctx: TaskContext) -> dict[str, Any]:
    """Reconcile every subscription linked to Stripe with a fresh read of it (and mirror its
    invoices): a lost or failed webhook is repaired within the hour. A fresh read is newer than
    any event, so events older than it are ignored afterwards."""
    if ctx.services.gateway is None:
        return {"skipped": "payments not configured (BILLING_STRIPE_API_KEY)"}
    return reconcile_with_stripe(_directory(ctx).platforms_with("billing"), uow_factory=ctx.unit_of_work,
                                 gateway=ctx.services.gateway, clock=ctx.clock,
                                 tax_profiles=_directory(ctx).tax_profile, check_cancelled=ctx.check_cancelled)


def cleanup_stale_subscriptions(ctx: TaskContext) -> dict[str, Any]:
    """Archive subscriptions cancelled or expired longer than BILLING_RETENTION_DAYS ago (kept,
    hidden from lists); expire checkout sessions abandoned for more than a day."""
    now = ctx.clock.now()
    platforms = _directory(ctx).platforms_with("billing")
    with ctx.unit_of_work() as uow:
        archived = uow.maintenance.archive_ended(now - timedelta(days=ctx.config.retention_days), now, platforms)
        expired = uow.checkouts.expire_abandoned(now - ABANDONED_CHECKOUT, now)
        uow.commit()
    return {"archived": archived, "checkouts_expired": expired}
