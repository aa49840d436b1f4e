"""Configuration of the billing module (prefix ``BILLING_``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from application.shared.config import ModuleSettings


class BillingConfig(ModuleSettings):
    model_config = SettingsConfigDict(env_prefix="BILLING_")

    trial_days: int = Field(default=14, ge=0, le=365, description="Trial length of a new vendor")
    default_tier: str = Field(default="essential", description="Tier of a new vendor's trial")
    over_limit: Literal["block", "flag"] = Field(
        default="block", description="At a plan limit: refuse (block) or allow and flag"
    )
    retention_days: int = Field(default=90, ge=1, description="Cancelled/expired subscriptions archived after")
    trial_warning_days: int = Field(default=3, ge=1, le=30, description="TrialEndingSoon this long before")
    stripe_api_key: SecretStr | None = Field(default=None, description="Stripe secret key (sk_...)")
    stripe_api_url: str = Field(default="https://api.stripe.com", description="Stripe API base URL")
    stripe_timeout_seconds: float = Field(default=10, gt=0, description="Per Stripe request")
    public_url: str = Field(
        default="http://127.0.0.1:8000", description="Where Stripe sends vendors back after checkout"
    )
    stripe_webhook_secret: SecretStr | None = Field(
        default=None, description="Signing secret of the Stripe webhook endpoint (whsec_...)"
    )
    stripe_webhook_tolerance_seconds: int = Field(
        default=300, ge=1, description="Webhooks signed longer ago than this are refused"
    )
    stripe_event_attempts: int = Field(default=8, ge=1, description="Processing attempts per event")
