from __future__ import annotations

import attrs

from application.shared.ports import Clock
from application.tenancy.access import Access
from application.tenancy.ports import TenancyUnitOfWork
from application.tenancy.team import publish_team_size
from contracts.tenancy.dto import MembershipIn, MembershipView
from domain.shared.errors import Conflict, FieldError, ValidationFailed
from domain.tenancy.model import Membership


@attrs.frozen(kw_only=True)
class AddMembership:
    platform_id: int
    data: MembershipIn
    access: Access


def add_membership(cmd: AddMembership, *, uow: TenancyUnitOfWork, clock: Clock) -> MembershipView:
    """Make a user platform admin of the platform, or give them a role in one of its vendors."""
    data = cmd.data
    with uow:
        if uow.users.get_or_none(data.user_id) is None:
            raise ValidationFailed(errors=[FieldError("user_id", "no such user")])
        if data.vendor_id is not None and uow.vendors(cmd.platform_id).get_or_none(data.vendor_id) is None:
            raise ValidationFailed(errors=[FieldError("vendor_id", "no such vendor on this platform")])
        memberships = uow.memberships(cmd.platform_id)
        if any(m.vendor_id == data.vendor_id for m in memberships.of_user(data.user_id)):
            raise Conflict("the user already has a membership there", field="user_id")
        membership = Membership(user_id=data.user_id, platform_id=cmd.platform_id, vendor_id=data.vendor_id,
                                role=data.role, created_at=clock.now())
        memberships.add(membership)
        if data.vendor_id is not None:
            publish_team_size(uow, cmd.platform_id, data.vendor_id, clock.now())
        uow.flush()
        uow.audit("membership.added", actor=cmd.access.actor, at=clock.now(), target_type="user",
                  target_id=data.user_id, platform_id=cmd.platform_id, vendor_id=data.vendor_id,
                  details={"role": data.role})
        uow.commit()
        return MembershipView.model_validate(membership)
