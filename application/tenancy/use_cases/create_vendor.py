from __future__ import annotations

import attrs

from application.shared.ports import Clock
from application.tenancy.access import Access
from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import VendorIn, VendorView
from contracts.tenancy.events import VendorCreated
from domain.shared.errors import Conflict, FieldError, ValidationFailed
from domain.tenancy.model import Vendor


@attrs.frozen(kw_only=True)
class CreateVendor:
    platform_id: int
    data: VendorIn
    access: Access


def create_vendor(cmd: CreateVendor, *, uow: TenancyUnitOfWork, clock: Clock) -> VendorView:
    """A vendor of a company on the platform; publishes VendorCreated (billing starts a trial)."""
    now = clock.now()
    with uow:
        vendors = uow.vendors(cmd.platform_id)
        if vendors.by_code(cmd.data.code) is not None:
            raise Conflict(f"vendor code '{cmd.data.code}' is taken on this platform", field="code")
        if uow.companies(cmd.platform_id).get_or_none(cmd.data.company_id) is None:
            raise ValidationFailed(errors=[FieldError("company_id", "no such company on this platform")])
        vendor = Vendor(platform_id=cmd.platform_id, created_at=now, **cmd.data.model_dump())
        vendors.add(vendor)
        uow.flush()
        uow.publish(VendorCreated(occurred_at=now, platform_id=cmd.platform_id, vendor_id=vendor.id,
                                  vendor_code=vendor.code, company_id=vendor.company_id))
        uow.audit("vendor.created", actor=cmd.access.actor, at=now, target_type="vendor",
                  target_id=vendor.id, platform_id=cmd.platform_id, vendor_id=vendor.id)
        uow.commit()
        return VendorView.model_validate(vendor)
