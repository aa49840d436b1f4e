"""Billing: plan tiers and vendor subscriptions with their trial and state rules."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from typing import Any

import attrs

from domain.shared.errors import Conflict, FieldError, ValidationFailed
from domain.shared.events import DomainEvent, RecordsEvents
from domain.shared.money import Money
from domain.shared.vat import FeeVat

METRICS = ("orders", "products", "team_members", "import_jobs")  # import_jobs: per day
CODE = re.compile(r"^[a-z][a-z0-9_\-]{1,39}$")
PERIOD = timedelta(days=30)


class SubscriptionState(StrEnum):
    TRIAL = "trial"
    ACTIVE = "active"
    PAST_DUE = "past_due"  # grace: access kept while Stripe retries the payment
    CANCELLED = "cancelled"
    EXPIRED = "expired"


ACCESS_STATES = frozenset({SubscriptionState.TRIAL, SubscriptionState.ACTIVE, SubscriptionState.PAST_DUE})

# Stripe's eight subscription statuses (reference/stripe.md). None: no change of access
# ('incomplete' is never provisioned, and does not revoke what the vendor already has).
STRIPE_STATUS: dict[str, SubscriptionState | None] = {
    "trialing": SubscriptionState.TRIAL,
    "active": SubscriptionState.ACTIVE,
    "past_due": SubscriptionState.PAST_DUE,
    "canceled": SubscriptionState.CANCELLED,
    "unpaid": SubscriptionState.EXPIRED,
    "incomplete_expired": SubscriptionState.EXPIRED,
    "paused": SubscriptionState.EXPIRED,
    "incomplete": None,
}


def state_from_stripe(status: str) -> SubscriptionState | None:
    try:
        return STRIPE_STATUS[status]
    except KeyError:
        raise ValidationFailed(errors=[FieldError("status", f"unknown Stripe status '{status}'")]) from None


@attrs.define(slots=False, eq=False, kw_only=True)
class Tier:
    code: str
    name: str
    description: str = ""
    monthly_price_cents: int
    annual_price_cents: int
    currency: str = "EUR"
    limits: dict[str, int | None] = attrs.field(factory=dict)  # None or missing: unlimited
    features: list[str] = attrs.field(factory=list)  # optional modules the tier allows
    public: bool = True
    retired: bool = False
    stripe_monthly_price_id: str | None = None
    stripe_annual_price_id: str | None = None
    sort_order: int = 0
    id: int | None = None

    def __attrs_post_init__(self) -> None:
        errors = []
        if not CODE.match(self.code or ""):
            errors.append(FieldError("code", "2-40 lower-case letters, digits, '-' or '_'"))
        for name in ("monthly_price_cents", "annual_price_cents"):
            if getattr(self, name) < 0:
                errors.append(FieldError(name, "must not be negative"))
        for metric, value in self.limits.items():
            if metric not in METRICS:
                errors.append(FieldError(f"limits.{metric}", f"choose from {', '.join(METRICS)}"))
            elif value is not None and value < 0:
                errors.append(FieldError(f"limits.{metric}", "must not be negative"))
        if errors:
            raise ValidationFailed(errors=errors)

    def limit(self, metric: str) -> int | None:
        return self.limits.get(metric)


@attrs.frozen(kw_only=True)
class TrialStarted(DomainEvent):
    vendor_id: int
    trial_end: datetime


@attrs.define(slots=False, eq=False, kw_only=True)
class Subscription(RecordsEvents):
    vendor_id: int
    platform_id: int
    tier_code: str
    state: str = SubscriptionState.TRIAL
    period_start: datetime
    period_end: datetime
    trial_end: datetime | None = None
    cancel_at_period_end: bool = False
    stripe_customer_id: str | None = None
    stripe_subscription_id: str | None = None
    trial_ending_notified: bool = False
    stripe_event_at: datetime | None = None  # when the newest Stripe event applied was created
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None = None
    id: int | None = None

    @classmethod
    def start_trial(cls, *, vendor_id: int, platform_id: int, tier_code: str, now: datetime,
                    trial_days: int) -> Subscription:
        trial_end = now + timedelta(days=trial_days)
        sub = cls(vendor_id=vendor_id, platform_id=platform_id, tier_code=tier_code, period_start=now,
                  period_end=max(trial_end, now + PERIOD), trial_end=trial_end, created_at=now, updated_at=now)
        sub.record(TrialStarted(occurred_at=now, vendor_id=vendor_id, trial_end=trial_end))
        return sub

    @property
    def has_access(self) -> bool:
        return self.state in ACCESS_STATES

    def change_tier(self, tier: Tier, now: datetime) -> None:
        if tier.retired:
            raise Conflict(f"tier '{tier.code}' is retired", field="tier")
        if not self.has_access:
            raise Conflict(f"a {self.state} subscription needs a new checkout, not a tier change", field="state")
        self.tier_code = tier.code
        self.updated_at = now

    def cancel_at_end(self, now: datetime) -> None:
        if not self.has_access:
            raise Conflict(f"the subscription is already {self.state}", field="state")
        self.cancel_at_period_end = True
        self.updated_at = now

    def reactivate(self, now: datetime) -> None:
        if not self.has_access:
            raise Conflict(f"a {self.state} subscription needs a new checkout", field="state")
        self.cancel_at_period_end = False
        self.updated_at = now

    def extend_trial(self, days: int, now: datetime) -> None:
        if self.state != SubscriptionState.TRIAL or self.trial_end is None:
            raise Conflict("only a trial can be extended", field="state")
        if days < 1:
            raise ValidationFailed(errors=[FieldError("days", "must be at least 1")])
        self.trial_end += timedelta(days=days)
        self.period_end = max(self.period_end, self.trial_end)
        self.trial_ending_notified = False
        self.updated_at = now

    def sync_from_stripe(
        self,
        *,
        at: datetime,
        status: str,
        tier_code: str | None,
        period_start: datetime | None,
        period_end: datetime | None,
        trial_end: datetime | None,
        cancel_at_period_end: bool,
        customer_id: str | None,
        subscription_id: str | None,
    ) -> bool:
        """Take Stripe's view of the subscription as of ``at`` (the event's creation time).
        Events arrive in any order: one older than the newest applied changes nothing, so a
        shuffled sequence ends in the same state as the ordered one. Returns whether it applied."""
        if self.stripe_event_at is not None and at < self.stripe_event_at:
            return False
        self.stripe_event_at = at
        self.apply_stripe_status(status, at)
        if tier_code is not None:
            self.tier_code = tier_code
        if period_start is not None and period_end is not None:
            self.period_start, self.period_end = period_start, period_end
        self.trial_end = trial_end if status == "trialing" else self.trial_end
        self.cancel_at_period_end = cancel_at_period_end
        self.stripe_customer_id = customer_id or self.stripe_customer_id
        self.stripe_subscription_id = subscription_id or self.stripe_subscription_id
        if self.has_access:
            self.archived_at = None  # paying again after being archived
        self.updated_at = at
        return True

    def stripe_view(self) -> tuple[Any, ...]:
        """What Stripe decides about this subscription: compared to detect drift."""
        return (self.state, self.tier_code, self.period_start, self.period_end, self.trial_end,
                self.cancel_at_period_end)

    def apply_stripe_status(self, status: str, now: datetime) -> None:
        state = state_from_stripe(status)
        if state is not None:
            self.state = state
            self.updated_at = now


# Gauges count what exists now (active products, team members) and never reset; they live in
# one window that starts at this fixed instant.
GAUGES = ("products", "team_members")
GAUGE_WINDOW = datetime(2000, 1, 1, tzinfo=UTC)


def within_limit(limit: int | None, used: int, wanted: int = 1) -> bool:
    """Whether ``wanted`` more fit under ``limit`` (None: unlimited)."""
    return limit is None or used + wanted <= limit


def remaining(limit: int | None, used: int) -> int | None:
    """How many more fit under ``limit`` (None: unlimited; never negative)."""
    return None if limit is None else max(0, limit - used)


def usage_windows(subscription: Subscription, now: datetime) -> dict[str, datetime]:
    """Where each metric is counted: orders per subscription period, import jobs per (UTC) day,
    gauges in their one window."""
    day = datetime.combine(now.date(), time(), tzinfo=now.tzinfo)
    return {"orders": subscription.period_start, "import_jobs": day,
            **dict.fromkeys(GAUGES, GAUGE_WINDOW)}



INVOICE_STATUSES = ("draft", "open", "paid", "uncollectible", "void")


@attrs.define(slots=False, eq=False, kw_only=True)
class Invoice:
    """A Stripe invoice of the platform's fee, mirrored with the VAT the platform owes on it.
    Stripe's prices are net; VAT follows the vendor's tax profile (domain.shared.vat)."""

    vendor_id: int
    platform_id: int
    stripe_invoice_id: str
    number: str | None = None
    status: str = "draft"
    currency: str = "EUR"
    net_cents: int = 0
    vat_rate: str = "0"  # percent, as written on the invoice
    vat_cents: int = 0
    gross_cents: int = 0
    vat_note: str = ""
    pdf_url: str | None = None
    period_start: datetime | None = None
    period_end: datetime | None = None
    issued_at: datetime | None = None
    stripe_event_at: datetime | None = None
    created_at: datetime
    updated_at: datetime
    id: int | None = None

    def mirror(self, *, at: datetime, number: str | None, status: str, currency: str, net_cents: int,
               vat: FeeVat, pdf_url: str | None, period_start: datetime | None, period_end: datetime | None,
               issued_at: datetime | None) -> bool:
        """Take Stripe's view as of ``at``; an older view than the newest applied changes nothing
        (invoice events, like subscription events, arrive in any order)."""
        if self.stripe_event_at is not None and at < self.stripe_event_at:
            return False
        if status not in INVOICE_STATUSES:
            raise ValidationFailed(errors=[FieldError("status", f"unknown invoice status '{status}'")])
        if net_cents < 0:
            raise ValidationFailed(errors=[FieldError("subtotal", "must not be negative")])
        if self.issued_at is None or self.status == "draft":  # issued invoices keep their VAT treatment
            self.vat_rate, self.vat_note = f"{vat.rate:g}", vat.note
        self.stripe_event_at = at
        self.number, self.status, self.currency = number or self.number, status, currency.upper()
        tax = Money(net_cents, self.currency).percentage(self.vat_rate)
        self.net_cents, self.vat_cents, self.gross_cents = net_cents, tax.amount, net_cents + tax.amount
        self.pdf_url = pdf_url or self.pdf_url
        self.period_start, self.period_end = period_start or self.period_start, period_end or self.period_end
        self.issued_at = issued_at or self.issued_at
        self.updated_at = at
        return True
