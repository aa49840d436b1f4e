from __future__ import annotations

import attrs

from application.shared.modules import ModuleRegistry
from application.shared.ports import Clock
from application.tenancy.access import Access, default_roles
from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import PlatformIn, PlatformView
from domain.shared.errors import Conflict, PermissionDenied
from domain.tenancy.model import Platform, RoleDefinition


@attrs.frozen(kw_only=True)
class CreatePlatform:
    data: PlatformIn
    access: Access


def create_platform(
    cmd: CreatePlatform, *, uow: TenancyUnitOfWork, clock: Clock, registry: ModuleRegistry
) -> PlatformView:
    """A new platform (super admins only), with the default role definitions."""
    if not cmd.access.is_super_admin:
        raise PermissionDenied("only a super admin creates platforms")
    with uow:
        if uow.platforms.by_code(cmd.data.code) is not None:
            raise Conflict(f"platform code '{cmd.data.code}' is taken", field="code")
        platform = Platform(created_at=clock.now(), **cmd.data.model_dump())
        uow.platforms.add(platform)
        uow.flush()
        roles = uow.roles(platform.id)
        for name, permissions in default_roles(registry).items():
            roles.add(RoleDefinition(platform_id=platform.id, name=name, permissions=permissions))
        uow.audit("platform.created", actor=cmd.access.actor, at=clock.now(),
                  target_type="platform", target_id=platform.id, platform_id=platform.id)
        uow.commit()
        return PlatformView.model_validate(platform)
