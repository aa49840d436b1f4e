from __future__ import annotations

from application.tenancy.access import Access
from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import PlatformView


def list_platforms(access: Access, *, uow: TenancyUnitOfWork) -> list[PlatformView]:
    """Super admins see every platform; platform admins see the ones they administer."""
    with uow:
        ids = None if access.is_super_admin else set(access.platform_ids)
        return [PlatformView.model_validate(p) for p in uow.platforms.list(ids)]
