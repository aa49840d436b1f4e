from __future__ import annotations

from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import MembershipView, MeView, UserView
from domain.tenancy.model import Role


def get_me(user_id: int, *, uow: TenancyUnitOfWork, all_permissions: tuple[str, ...]) -> MeView:
    """The signed-in user with memberships and the permissions each one grants."""
    with uow:
        user = uow.users.get(user_id)
        memberships = uow.user_memberships.of_user(user_id)
        permissions: dict[str, list[str]] = {}
        if user.is_super_admin:
            permissions["*"] = sorted(all_permissions)
        for m in memberships:
            scope = f"platform:{m.platform_id}" if m.role == Role.PLATFORM_ADMIN else f"vendor:{m.vendor_id}"
            permissions[scope] = sorted(uow.roles(m.platform_id).get(m.role).permissions)
        return MeView(
            user=UserView.model_validate(user),
            memberships=[MembershipView.model_validate(m) for m in memberships],
            permissions=permissions,
        )
