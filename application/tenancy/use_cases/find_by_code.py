"""Looking tenants up by their codes (the CLI names platforms and vendors by code)."""

from __future__ import annotations

from application.tenancy.ports import TenancyUnitOfWork
from domain.shared.errors import NotFound


def platform_id_by_code(code: str, *, uow: TenancyUnitOfWork) -> int:
    with uow:
        platform = uow.platforms.by_code(code)
        if platform is None:
            raise NotFound(f"no platform with code '{code}'")
        return platform.id


def vendor_id_by_code(platform_id: int, code: str, *, uow: TenancyUnitOfWork) -> int:
    with uow:
        vendor = uow.vendors(platform_id).by_code(code)
        if vendor is None:
            raise NotFound(f"no vendor '{code}' on this platform")
        return vendor.id
