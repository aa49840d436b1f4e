"""Integration events the billing module publishes."""

from __future__ import annotations

from datetime import datetime

from contracts.shared.events import IntegrationEvent


class _VendorBilling(IntegrationEvent):
    @property
    def aggregate_id(self) -> str:
        return f"subscription:{self.vendor_id}"


class TrialExpired(_VendorBilling):
    """A trial ended without a payment method: access is revoked."""

    event_type = "billing.trial_expired"
    version = 1


class TrialEndingSoon(_VendorBilling):
    event_type = "billing.trial_ending_soon"
    version = 1

    trial_end: datetime
