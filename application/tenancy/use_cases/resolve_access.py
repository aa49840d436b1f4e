from __future__ import annotations

import attrs

from application.shared.modules import ModuleRegistry
from application.tenancy.access import Access
from application.tenancy.ports import TenancyUnitOfWork
from domain.shared.errors import NotFound, PermissionDenied, Unauthenticated
from domain.tenancy.model import Role


@attrs.frozen(kw_only=True)
class ResolveAccess:
    user_id: int
    permission: str | None = None
    platform_id: int | None = None
    vendor_id: int | None = None
    admin_area: bool = False  # admin routes count platform admins (and super admins) only


def resolve_access(cmd: ResolveAccess, *, uow: TenancyUnitOfWork, registry: ModuleRegistry) -> Access:
    """Resolve the caller for a tenant and check one permission.

    A tenant the caller has no relation to answers NotFound (its existence does not leak);
    a related tenant without the permission answers PermissionDenied. Routes without a tenant
    are for super admins (or, with ``permission=None``, for anyone signed in).
    """
    with uow:
        user = uow.users.get(cmd.user_id) if cmd.user_id else None
        if user is None or not user.active:
            raise Unauthenticated("invalid token")
        memberships = uow.user_memberships.of_user(user.id)
        administered = frozenset(m.platform_id for m in memberships if m.role == Role.PLATFORM_ADMIN)
        platform_id, vendor_id = cmd.platform_id, cmd.vendor_id
        if vendor_id is not None:
            owner_platform = uow.vendor_locator.platform_of(vendor_id)
            if owner_platform is None or (platform_id is not None and platform_id != owner_platform):
                raise NotFound(f"vendor {vendor_id} not found")
            platform_id = owner_platform

        if user.is_super_admin:
            if platform_id is not None and uow.platforms.get_or_none(platform_id) is None:
                raise NotFound(f"platform {platform_id} not found")
            permissions = frozenset(registry.permissions)
        elif platform_id is None:
            permissions = frozenset()
        else:
            # No role also covers an unknown platform: nobody has a membership on it.
            role = _role_for(memberships, platform_id, None if cmd.admin_area else vendor_id)
            if role is None:
                raise NotFound(f"{'vendor' if vendor_id else 'platform'} {vendor_id or platform_id} not found")
            permissions = frozenset(uow.roles(platform_id).get(role).permissions)
        access = Access(
            user_id=user.id, email=user.email, is_super_admin=user.is_super_admin,
            platform_id=platform_id, vendor_id=vendor_id, permissions=permissions,
            platform_ids=administered,
        )
    if cmd.permission is not None and not access.can(cmd.permission):
        if platform_id is None and not access.is_super_admin:
            raise PermissionDenied(f"'{cmd.permission}' needs a super admin")
        raise PermissionDenied(f"missing permission '{cmd.permission}'")
    return access


def _role_for(memberships, platform_id: int, vendor_id: int | None) -> str | None:  # type: ignore[no-untyped-def]
    """Platform admins act for every vendor of their platform; others only for their vendor."""
    for m in memberships:
        if m.platform_id == platform_id and m.role == Role.PLATFORM_ADMIN:
            return Role.PLATFORM_ADMIN
    if vendor_id is None:
        return None
    for m in memberships:
        if m.vendor_id == vendor_id:
            return m.role
    return None
