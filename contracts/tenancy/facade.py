"""The synchronous read other modules may make of tenancy."""

from __future__ import annotations

from typing import Protocol

from contracts.tenancy.dto import TaxProfile


class ModuleDirectory(Protocol):
    """Which optional modules each platform has switched on. A module's scheduled tasks iterate
    ``platforms_with(<own code>)`` so a platform that switched it off is skipped."""

    def is_enabled(self, platform_id: int, module: str) -> bool: ...

    def is_enabled_for(
        self, module: str, *, platform_id: int | None = None, vendor_id: int | None = None
    ) -> bool | None:
        """Whether ``module`` is on for the platform, else for the vendor's platform, in one
        query: False for an unknown platform, None for an unknown vendor (or neither given)."""
        ...

    def platforms_with(self, module: str) -> list[int]: ...

    def vendors_of(self, platform_id: int) -> list[int]:
        """Ids of the platform's vendors."""
        ...

    def vendor_name(self, vendor_id: int) -> str | None:
        """The vendor's display name (None for an unknown vendor)."""
        ...

    def tax_profile(self, vendor_id: int) -> TaxProfile | None:
        """Where the vendor's company is established, and its VAT id (validated when stored)."""
        ...
