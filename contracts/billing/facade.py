"""The synchronous read other modules make of billing."""

from __future__ import annotations

from typing import Protocol

from contracts.billing.dto import LimitCheck


class PlanLimits(Protocol):
    def check(self, platform_id: int, vendor_id: int, metric: str) -> LimitCheck:
        """May the vendor create one more ``metric`` (orders, products, team_members,
        import_jobs)? Everything is allowed where billing is switched off."""
        ...
