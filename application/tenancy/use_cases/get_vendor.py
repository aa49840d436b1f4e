from __future__ import annotations

from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import VendorView


def get_vendor(platform_id: int, vendor_id: int, *, uow: TenancyUnitOfWork) -> VendorView:
    with uow:
        return VendorView.model_validate(uow.vendors(platform_id).get(vendor_id))
