from __future__ import annotations

import attrs

from application.shared.ports import Clock
from application.tenancy.access import Access
from application.tenancy.ports import TenancyUnitOfWork
from application.tenancy.team import publish_team_size
from domain.tenancy.model import Role, ensure_not_last_owner


@attrs.frozen(kw_only=True)
class RemoveMembership:
    platform_id: int
    membership_id: int
    access: Access


def remove_membership(cmd: RemoveMembership, *, uow: TenancyUnitOfWork, clock: Clock) -> None:
    with uow:
        memberships = uow.memberships(cmd.platform_id)
        membership = memberships.get(cmd.membership_id)
        if membership.vendor_id is not None:
            ensure_not_last_owner(memberships.count_owners(membership.vendor_id), membership.role == Role.OWNER)
        memberships.remove(membership)
        if membership.vendor_id is not None:
            publish_team_size(uow, cmd.platform_id, membership.vendor_id, clock.now())
        uow.audit("membership.removed", actor=cmd.access.actor, at=clock.now(), target_type="user",
                  target_id=membership.user_id, platform_id=cmd.platform_id, vendor_id=membership.vendor_id)
        uow.commit()
