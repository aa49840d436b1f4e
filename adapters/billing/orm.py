"""Tables of the billing module and the mapping of its domain classes."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Index, Integer, String, Table, Text

from adapters.sql.metadata import map_imperatively, metadata
from adapters.sql.types import UtcDateTime
from domain.billing.model import Invoice, Subscription, Tier

tiers = Table(
    "billing_tiers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("description", Text, nullable=False),
    Column("monthly_price_cents", Integer, nullable=False),
    Column("annual_price_cents", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("limits", JSON, nullable=False),
    Column("features", JSON, nullable=False),
    Column("public", Boolean, nullable=False),
    Column("retired", Boolean, nullable=False),
    Column("stripe_monthly_price_id", String(100), nullable=True),
    Column("stripe_annual_price_id", String(100), nullable=True),
    Column("sort_order", Integer, nullable=False),
)

subscriptions = Table(
    "billing_subscriptions",
    metadata,
    Column("id", Integer, primary_key=True),
    # A tenancy id: the one kind of cross-module reference kept without a foreign key here,
    # so the billing history survives whatever tenancy does (and module tables stay apart).
    Column("vendor_id", Integer, nullable=False, unique=True),
    Column("platform_id", Integer, nullable=False, index=True),
    Column("tier_code", String(40), nullable=False, index=True),
    Column("state", String(20), nullable=False),
    Column("period_start", UtcDateTime(), nullable=False),
    Column("period_end", UtcDateTime(), nullable=False),
    Column("trial_end", UtcDateTime(), nullable=True),
    Column("cancel_at_period_end", Boolean, nullable=False),
    Column("stripe_customer_id", String(100), nullable=True),
    Column("stripe_subscription_id", String(100), nullable=True, unique=True),
    Column("trial_ending_notified", Boolean, nullable=False),
    Column("stripe_event_at", UtcDateTime(), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("archived_at", UtcDateTime(), nullable=True),
    Index(None, "state", "period_end"),
    Index(None, "state", "trial_end"),
)

# Every Stripe webhook event received, by its id: the inbox that makes redelivery harmless,
# and the record of what was processed, ignored (unknown type) or failed (retried by a task).
stripe_events = Table(
    "billing_stripe_events",
    metadata,
    Column("id", String(255), primary_key=True),
    Column("type", String(100), nullable=False),
    Column("created", UtcDateTime(), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("status", String(20), nullable=False, index=True),  # received|processed|ignored|failed
    Column("attempts", Integer, nullable=False),
    Column("error", Text, nullable=True),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("processed_at", UtcDateTime(), nullable=True),
)

usage = Table(
    "billing_usage",
    metadata,
    Column("vendor_id", Integer, primary_key=True),
    Column("metric", String(20), primary_key=True),
    Column("window_start", UtcDateTime(), primary_key=True),
    Column("value", Integer, nullable=False),
)

# Stripe invoices of the platform's fees, mirrored with the VAT we owe on them.
invoices = Table(
    "billing_invoices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("vendor_id", Integer, nullable=False),
    Column("platform_id", Integer, nullable=False),
    Column("stripe_invoice_id", String(100), nullable=False, unique=True),
    Column("number", String(100), nullable=True),
    Column("status", String(20), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("net_cents", Integer, nullable=False),
    Column("vat_rate", String(10), nullable=False),
    Column("vat_cents", Integer, nullable=False),
    Column("gross_cents", Integer, nullable=False),
    Column("vat_note", String(100), nullable=False),
    Column("pdf_url", Text, nullable=True),
    Column("period_start", UtcDateTime(), nullable=True),
    Column("period_end", UtcDateTime(), nullable=True),
    Column("issued_at", UtcDateTime(), nullable=True),
    Column("stripe_event_at", UtcDateTime(), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Index(None, "vendor_id", "issued_at"),
)

# Checkout sessions we opened: completed by Stripe's webhook, or expired by the weekly cleanup
# when abandoned for more than a day.
checkout_sessions = Table(
    "billing_checkout_sessions",
    metadata,
    Column("id", String(255), primary_key=True),
    Column("vendor_id", Integer, nullable=False, index=True),
    Column("tier_code", String(40), nullable=False),
    Column("status", String(20), nullable=False),  # open | complete | expired
    Column("created_at", UtcDateTime(), nullable=False),
    Column("closed_at", UtcDateTime(), nullable=True),
    Index(None, "status", "created_at"),
)


def start_mappers() -> None:
    map_imperatively(Tier, tiers)
    map_imperatively(Subscription, subscriptions)
    map_imperatively(Invoice, invoices)


start_mappers()
