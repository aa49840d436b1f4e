"""Integration events the catalog module publishes."""

from __future__ import annotations

from contracts.shared.events import IntegrationEvent


class ActiveProductsChanged(IntegrationEvent):
    """A vendor's number of active products changed; ``active`` is the number now (a gauge:
    billing counts it against the plan's product limit)."""

    event_type = "catalog.active_products_changed"
    version = 1

    active: int

    @property
    def aggregate_id(self) -> str:
        return f"catalog:{self.vendor_id}"
