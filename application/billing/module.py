"""The billing module: plan tiers, vendor subscriptions, trials and usage limits."""

from __future__ import annotations

from datetime import timedelta

from application.billing import tasks
from application.billing.config import BillingConfig
from application.billing.use_cases.count_usage import (
    count_import_job,
    count_order,
    count_products,
    count_team,
)
from application.billing.use_cases.subscriptions import start_trial_for_new_vendor, start_trials_when_enabled
from application.shared.modules import OPTIONAL, MenuItem, ModuleDefinition, Queue, Schedule, TaskSpec
from contracts.catalog.events import ActiveProductsChanged
from contracts.marketplace.events import ImportJobQueued
from contracts.orders.events import OrderPlaced
from contracts.tenancy.events import ModuleEnabled, TeamSizeChanged, VendorCreated

MODULE = ModuleDefinition(
    code="billing",
    name="Billing",
    description="Plan tiers, vendor subscriptions, trials, usage against plan limits.",
    classification=OPTIONAL,
    config=BillingConfig,
    permissions=("billing.view", "billing.manage", "billing.tiers.manage", "billing.subscriptions.manage"),
    vendor_permissions=("billing.view", "billing.manage"),
    menus=(
        MenuItem(area="vendor", key="subscription", path="/vendor/billing", order=80,
                 label={"en": "Subscription", "fr": "Abonnement", "de": "Abonnement"},
                 permission="billing.view"),
        MenuItem(area="admin", key="tiers", path="/admin/billing/tiers", order=60,
                 label={"en": "Plans", "fr": "Formules", "de": "Tarife"}, permission="billing.tiers.manage"),
    ),
    tasks=(
        TaskSpec("reset_period_counters", tasks.reset_period_counters, queue=Queue.SCHEDULED,
                 time_limit=timedelta(minutes=10), max_retries=3),
        TaskSpec("check_trial_expirations", tasks.check_trial_expirations, queue=Queue.SCHEDULED,
                 time_limit=timedelta(minutes=10), max_retries=3),
        TaskSpec("process_stripe_events", tasks.process_stripe_events, queue=Queue.DEFAULT,
                 time_limit=timedelta(minutes=5), max_retries=0),
        TaskSpec("sync_stripe_status", tasks.sync_stripe_status, queue=Queue.SCHEDULED,
                 time_limit=timedelta(minutes=30), max_retries=1),
        TaskSpec("cleanup_stale_subscriptions", tasks.cleanup_stale_subscriptions, queue=Queue.SCHEDULED,
                 time_limit=timedelta(minutes=10), max_retries=3),
    ),
    schedules=(
        Schedule("reset_period_counters", cron="5 0 * * *"),
        Schedule("check_trial_expirations", cron="0 1 * * *"),
        # Safety net: each webhook also enqueues a run at once; this one retries failures.
        Schedule("process_stripe_events", cron="*/5 * * * *"),
        Schedule("sync_stripe_status", cron="30 * * * *"),
        Schedule("cleanup_stale_subscriptions", cron="0 3 * * 0"),  # Sundays (cron counts 0 = Sunday)
    ),
    subscriptions={
        VendorCreated: start_trial_for_new_vendor,
        ModuleEnabled: start_trials_when_enabled,
        OrderPlaced: count_order,
        TeamSizeChanged: count_team,
        ActiveProductsChanged: count_products,
        ImportJobQueued: count_import_job,
    },
)
