"""What the billing module shows other modules and the outside world."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Metric = Literal["orders", "products", "team_members", "import_jobs"]


class TierView(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    code: str
    name: str
    description: str
    monthly_price_cents: int
    annual_price_cents: int
    currency: str
    limits: dict[str, int | None]
    features: list[str]
    public: bool
    retired: bool
    stripe_monthly_price_id: str | None
    stripe_annual_price_id: str | None


class TierIn(BaseModel):
    code: str = Field(pattern=r"^[a-z][a-z0-9_\-]{1,39}$")
    name: str = Field(min_length=1, max_length=100)
    description: str = ""
    monthly_price_cents: int = Field(ge=0)
    annual_price_cents: int = Field(ge=0)
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    limits: dict[Metric, int | None] = Field(default_factory=dict)
    features: list[str] = Field(default_factory=list)
    public: bool = True
    stripe_monthly_price_id: str | None = None
    stripe_annual_price_id: str | None = None


class TierPatch(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = None
    monthly_price_cents: int | None = Field(default=None, ge=0)
    annual_price_cents: int | None = Field(default=None, ge=0)
    limits: dict[Metric, int | None] | None = None
    features: list[str] | None = None
    public: bool | None = None
    stripe_monthly_price_id: str | None = None
    stripe_annual_price_id: str | None = None


class SubscriptionView(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    vendor_id: int
    platform_id: int
    tier_code: str
    state: str
    period_start: datetime
    period_end: datetime
    trial_end: datetime | None
    cancel_at_period_end: bool
    stripe_customer_id: str | None
    stripe_subscription_id: str | None


class UsageLine(BaseModel):
    metric: str
    used: int
    limit: int | None  # None: unlimited
    remaining: int | None


class LimitCheck(BaseModel):
    """The answer to "may vendor V create one more X?"."""

    allowed: bool
    metric: str
    limit: int | None
    used: int
    remaining: int | None
    flagged: bool = False  # allowed past the limit (BILLING_OVER_LIMIT=flag)
    reason: str = ""


class TierChangeIn(BaseModel):
    tier: str


class ExtendTrialIn(BaseModel):
    days: int = Field(ge=1, le=365)


class CheckoutIn(BaseModel):
    tier: str
    interval: Literal["month", "year"] = "month"
    attempt: str = Field(default="1", min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")


class InvoiceView(BaseModel):
    """A mirrored Stripe invoice of the platform's fee: net, VAT (rate in percent, or the words
    why none is charged, e.g. "Reverse charge") and gross, in cents."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    stripe_invoice_id: str
    number: str | None
    status: str
    currency: str
    net_cents: int
    vat_rate: str
    vat_cents: int
    gross_cents: int
    vat_note: str
    pdf_url: str | None
    period_start: datetime | None
    period_end: datetime | None
    issued_at: datetime | None
