"""Integration events the marketplace module publishes."""

from __future__ import annotations

from contracts.shared.events import IntegrationEvent


class ImportJobQueued(IntegrationEvent):
    """A vendor queued a feed import (billing counts import jobs per day from it)."""

    event_type = "marketplace.import_job_queued"
    version = 1

    job_id: int

    @property
    def aggregate_id(self) -> str:
        return f"marketplace-import:{self.job_id}"
