"""What every change of a vendor's team tells other modules (billing counts team members)."""

from __future__ import annotations

from datetime import datetime

from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.events import TeamSizeChanged


def publish_team_size(uow: TenancyUnitOfWork, platform_id: int, vendor_id: int, now: datetime) -> None:
    """Publish the team's size as of this transaction (call after the change is flushed)."""
    uow.flush()
    uow.publish(TeamSizeChanged(occurred_at=now, platform_id=platform_id, vendor_id=vendor_id,
                                members=uow.team(vendor_id).count()))
