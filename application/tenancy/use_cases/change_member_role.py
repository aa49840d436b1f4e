from __future__ import annotations

from typing import Literal

import attrs

from application.shared.ports import Clock
from application.tenancy.access import Access
from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import TeamMemberView
from domain.tenancy.model import Role, ensure_not_last_owner


@attrs.frozen(kw_only=True)
class ChangeMemberRole:
    vendor_id: int
    membership_id: int
    role: Literal["owner", "manager", "staff"]
    access: Access


def change_member_role(cmd: ChangeMemberRole, *, uow: TenancyUnitOfWork, clock: Clock) -> TeamMemberView:
    with uow:
        team = uow.team(cmd.vendor_id)
        membership = team.get(cmd.membership_id)
        demoting_owner = membership.role == Role.OWNER and cmd.role != Role.OWNER
        ensure_not_last_owner(team.count_owners(), demoting_owner)
        membership.role = cmd.role
        user = uow.users.get(membership.user_id)
        uow.audit("team.role_changed", actor=cmd.access.actor, at=clock.now(), target_type="user", target_id=user.id,
                  platform_id=membership.platform_id, vendor_id=cmd.vendor_id, details={"role": cmd.role})
        uow.commit()
        return TeamMemberView(membership_id=membership.id, user_id=user.id, email=user.email, name=user.name,
                              role=membership.role)
