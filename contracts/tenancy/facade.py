"""The synchronous read other modules may make of tenancy."""

from __future__ import annotations

from typing import Protocol

from contracts.tenancy.dto import TaxProfile


class ModuleDirectory(Protocol):
    """Which optional modules each platform has switched on. A module's scheduled tasks iterate
    ``platforms_with(<own code>)`` so a platform that switched it off is skipped."""

    def is_enabled(self, platform_id: int, module: str) -> bool: ...

    def platforms_with(self, module: str) -> list[int]: ...

    def platform_of_vendor(self, vendor_id: int) -> int | None:
        """The platform a vendor belongs to (None when there is no such vendor)."""
        ...

    def vendors_of(self, platform_id: int) -> list[int]:
        """Ids of the platform's vendors."""
        ...

    def tax_profile(self, vendor_id: int) -> TaxProfile | None:
        """Where the vendor's company is established, and its VAT id (validated when stored)."""
        ...
