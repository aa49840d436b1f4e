from __future__ import annotations

from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import PlatformView


def get_platform(platform_id: int, *, uow: TenancyUnitOfWork) -> PlatformView:
    with uow:
        return PlatformView.model_validate(uow.platforms.get(platform_id))
