from __future__ import annotations

import attrs

from application.shared.ports import Clock
from application.tenancy.access import Access
from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import PlatformPatch, PlatformView
from domain.tenancy.model import Platform


@attrs.frozen(kw_only=True)
class UpdatePlatform:
    platform_id: int
    data: PlatformPatch
    access: Access


def update_platform(cmd: UpdatePlatform, *, uow: TenancyUnitOfWork, clock: Clock) -> PlatformView:
    """Change a platform's name, hostnames, languages or status (the code is permanent)."""
    changes = cmd.data.model_dump(exclude_unset=True, exclude_none=True)
    with uow:
        platform = uow.platforms.get(cmd.platform_id)
        merged = {f.name: getattr(platform, f.name) for f in attrs.fields(Platform)} | changes
        Platform(**merged)  # validates the result as a whole (languages vs default language)
        for name, value in changes.items():
            setattr(platform, name, value)
        uow.audit("platform.updated", actor=cmd.access.actor, at=clock.now(), target_type="platform",
                  target_id=platform.id, platform_id=platform.id, details={"changed": sorted(changes)})
        uow.commit()
        return PlatformView.model_validate(platform)
