from __future__ import annotations

import attrs

from application.shared.modules import ModuleRegistry
from application.shared.ports import Clock
from application.tenancy.access import Access
from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import RoleView
from domain.shared.errors import FieldError, ValidationFailed
from domain.tenancy.model import Role


@attrs.frozen(kw_only=True)
class SetRolePermissions:
    platform_id: int
    role: str
    permissions: tuple[str, ...]
    access: Access


def set_role_permissions(
    cmd: SetRolePermissions, *, uow: TenancyUnitOfWork, clock: Clock, registry: ModuleRegistry
) -> RoleView:
    """Replace a role's permissions on one platform. Vendor roles hold vendor permissions only."""
    allowed = registry.permissions if cmd.role == Role.PLATFORM_ADMIN else registry.vendor_permissions
    unknown = sorted(set(cmd.permissions) - set(allowed))
    if unknown:
        raise ValidationFailed(errors=[FieldError("permissions", f"not grantable to {cmd.role}: {', '.join(unknown)}")])
    with uow:
        role = uow.roles(cmd.platform_id).get(cmd.role)
        role.permissions = sorted(set(cmd.permissions))
        uow.audit("role.updated", actor=cmd.access.actor, at=clock.now(), target_type="role", target_id=cmd.role,
                  platform_id=cmd.platform_id, details={"permissions": role.permissions})
        uow.commit()
        return RoleView.model_validate(role)
