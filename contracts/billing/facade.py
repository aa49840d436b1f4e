"""The synchronous read other modules make of billing."""

from __future__ import annotations

from typing import Protocol

from contracts.billing.dto import LimitCheck


class PlanLimits(Protocol):
    def check(self, platform_id: int, vendor_id: int, metric: str, *, wanted: int = 1,
              used: int | None = None) -> LimitCheck:
        """May the vendor create ``wanted`` more ``metric`` (orders, products, team_members,
        import_jobs)? ``used`` overrides billing's counter when the caller owns the truth (the
        catalog counts its active products itself). ``remaining`` says how many fit. Everything
        is allowed where billing is switched off."""
        ...
