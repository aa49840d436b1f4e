"""Integration events the tenancy module publishes."""

from __future__ import annotations

from contracts.shared.events import IntegrationEvent


class VendorCreated(IntegrationEvent):
    event_type = "tenancy.vendor_created"
    version = 1

    vendor_code: str
    company_id: int

    @property
    def aggregate_id(self) -> str:
        return f"vendor:{self.vendor_id}"


class TeamSizeChanged(IntegrationEvent):
    """A vendor's team grew or shrank; ``members`` is its size now (a gauge, so a redelivered
    or late event cannot count twice)."""

    event_type = "tenancy.team_size_changed"
    version = 1

    members: int

    @property
    def aggregate_id(self) -> str:
        return f"vendor:{self.vendor_id}"


class _ModuleSwitched(IntegrationEvent):
    module: str
    actor: str

    @property
    def aggregate_id(self) -> str:
        return f"platform:{self.platform_id}:module:{self.module}"


class ModuleEnabled(_ModuleSwitched):
    event_type = "tenancy.module_enabled"
    version = 1


class ModuleDisabled(_ModuleSwitched):
    event_type = "tenancy.module_disabled"
    version = 1
