from __future__ import annotations

from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import VendorView


def list_vendors(platform_id: int, *, uow: TenancyUnitOfWork) -> list[VendorView]:
    with uow:
        return [VendorView.model_validate(v) for v in uow.vendors(platform_id).list()]
