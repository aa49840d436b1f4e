"""Integration events the orders module will publish. Declared before the module exists so that
billing can count orders against plan limits now (ADR 0010); the orders module must publish
exactly this shape (or a new version) when it lands."""

from __future__ import annotations

from contracts.shared.events import IntegrationEvent


class OrderPlaced(IntegrationEvent):
    """A vendor received an order (from a Letzshop shipment or its own storefront)."""

    event_type = "orders.order_placed"
    version = 1

    order_id: int
    order_number: str
    channel: str  # "letzshop" or "storefront"
    total_cents: int
    currency: str

    @property
    def aggregate_id(self) -> str:
        return f"order:{self.order_id}"
