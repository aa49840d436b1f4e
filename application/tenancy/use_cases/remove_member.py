from __future__ import annotations

import attrs

from application.shared.ports import Clock
from application.tenancy.access import Access
from application.tenancy.ports import TenancyUnitOfWork
from application.tenancy.team import publish_team_size
from domain.tenancy.model import Role, ensure_not_last_owner


@attrs.frozen(kw_only=True)
class RemoveMember:
    vendor_id: int
    membership_id: int
    access: Access


def remove_member(cmd: RemoveMember, *, uow: TenancyUnitOfWork, clock: Clock) -> None:
    """Remove someone from the team; the last owner stays."""
    with uow:
        team = uow.team(cmd.vendor_id)
        membership = team.get(cmd.membership_id)
        ensure_not_last_owner(team.count_owners(), membership.role == Role.OWNER)
        team.remove(membership)
        publish_team_size(uow, membership.platform_id, cmd.vendor_id, clock.now())
        uow.audit("team.removed", actor=cmd.access.actor, at=clock.now(), target_type="user",
                  target_id=membership.user_id, platform_id=membership.platform_id, vendor_id=cmd.vendor_id)
        uow.commit()
