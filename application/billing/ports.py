"""Ports of the billing module. Subscriptions are vendor-scoped: the repository is built for one
platform and filters every query by it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from application.shared.ports import UnitOfWork
from domain.billing.model import Invoice, Subscription, Tier


class Tiers(Protocol):
    def add(self, tier: Tier) -> None: ...
    def get(self, code: str) -> Tier: ...
    def list(self, *, include_retired: bool = True) -> list[Tier]: ...
    def remove(self, tier: Tier) -> None: ...
    def in_use(self, code: str) -> int: ...


class Subscriptions(Protocol):
    """The subscriptions of one platform."""

    def add(self, subscription: Subscription) -> None: ...
    def of_vendor(self, vendor_id: int) -> Subscription: ...
    def find(self, vendor_id: int) -> Subscription | None: ...
    def list(self, *, state: str | None, tier: str | None) -> list[Subscription]: ...


class Usage(Protocol):
    def used(self, vendor_id: int, windows: dict[str, datetime]) -> dict[str, int]: ...

    def add(self, vendor_id: int, metric: str, window: datetime, delta: int) -> None:
        """Count ``delta`` more (never below zero)."""
        ...

    def set(self, vendor_id: int, metric: str, window: datetime, value: int) -> None:
        """A gauge's value now."""
        ...


class BillingMaintenance(Protocol):
    """Set-based work of the scheduled tasks (one statement per step, not a loop over rows)."""

    def roll_periods(self, now: datetime, platforms: list[int]) -> int: ...

    def end_cancelled(self, now: datetime, platforms: list[int]) -> int:
        """Subscriptions without a Stripe subscription cancelled at a period end that has come
        are cancelled; how many."""
        ...

    def expire_trials(self, now: datetime, platforms: list[int]) -> list[tuple[int, int]]:
        """Trials that ended without a Stripe subscription become expired; (vendor, platform)."""
        ...

    def trials_ending(self, now: datetime, until: datetime, platforms: list[int]) -> list[tuple[int, int, datetime]]:
        """Mark trials ending before ``until`` as notified; (vendor, platform, trial end) of
        those not notified before."""
        ...

    def archive_ended(self, before: datetime, now: datetime, platforms: list[int]) -> int:
        """Cancelled and expired subscriptions unchanged since ``before`` are archived."""
        ...


class Invoices(Protocol):
    """One vendor's invoices."""

    def list(self) -> list[Invoice]: ...


class CheckoutSessions(Protocol):
    def opened(self, session_id: str, vendor_id: int, tier_code: str, now: datetime) -> None: ...
    def completed(self, session_id: str, now: datetime) -> None: ...

    def expire_abandoned(self, before: datetime, now: datetime) -> int:
        """Open sessions created before ``before`` become expired; how many."""
        ...


class StripeEvents(Protocol):
    def record(self, event: dict, now: datetime) -> bool: ...  # type: ignore[type-arg]
    def get(self, event_id: str) -> dict:  # type: ignore[type-arg]
        """The stored event, locked until the transaction ends: two runs draining the events side
        by side (one per webhook) apply each event once."""
        ...
    def mark(self, event_id: str, status: str, now: datetime, error: str | None = None) -> None: ...
    def pending(self, max_attempts: int) -> list[str]: ...


class BillingUnitOfWork(UnitOfWork, Protocol):
    tiers: Tiers
    usage: Usage
    maintenance: BillingMaintenance
    stripe_events: StripeEvents
    checkouts: CheckoutSessions

    def subscription_by_stripe(self, subscription_id: str | None, vendor_id: int | None) -> Subscription | None: ...
    def subscription_by_customer(self, customer_id: str | None) -> Subscription | None: ...
    def linked_subscriptions(self, platforms: list[int]) -> list[Subscription]:
        """Subscriptions with a Stripe subscription, not archived, on these platforms."""
        ...

    def invoice_by_stripe(self, invoice_id: str) -> Invoice | None: ...
    def add_invoice(self, invoice: Invoice) -> None: ...
    def invoices(self, vendor_id: int) -> Invoices: ...
    def tier_by_price(self, price_id: str | None) -> str | None: ...

    def subscriptions(self, platform_id: int) -> Subscriptions: ...
    def publish(self, event: object) -> None: ...


class BillingGateway(Protocol):
    """The payment provider (Stripe). Every mutating call takes an idempotency key; the adapter
    retries 429 and 5xx answers and raises PaymentProviderError when it gives up."""

    def create_customer(self, *, vendor_id: int, platform_id: int, name: str, idempotency_key: str) -> str: ...

    def create_checkout_session(
        self, *, customer_id: str, price_id: str, vendor_id: int, platform_id: int, success_url: str,
        cancel_url: str, idempotency_key: str,
    ) -> tuple[str, str]:
        """(session id, URL the vendor is sent to)."""
        ...

    def create_portal_session(self, *, customer_id: str, return_url: str) -> str: ...

    def set_cancel_at_period_end(self, *, subscription_id: str, cancel: bool, idempotency_key: str) -> None: ...

    def get_subscription(self, subscription_id: str) -> dict[str, Any]:
        """Stripe's subscription object, as its API returns it."""
        ...

    def list_invoices(self, customer_id: str, *, limit: int = 24) -> list[dict[str, Any]]:
        """The customer's newest invoices, as Stripe's API returns them."""
        ...
