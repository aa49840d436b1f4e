from __future__ import annotations

import attrs

from application.shared.ports import Clock
from application.tenancy.access import Access
from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import VendorProfileIn, VendorView
from domain.tenancy.model import check_languages


@attrs.frozen(kw_only=True)
class UpdateVendorProfile:
    vendor_id: int
    data: VendorProfileIn
    access: Access


def update_vendor_profile(cmd: UpdateVendorProfile, *, uow: TenancyUnitOfWork, clock: Clock) -> VendorView:
    """A vendor edits its own name, Letzshop slug and languages."""
    assert cmd.access.platform_id is not None
    changes = cmd.data.model_dump(exclude_unset=True, exclude_none=True)
    with uow:
        vendor = uow.vendors(cmd.access.platform_id).get(cmd.vendor_id)
        if "languages" in changes:
            changes["languages"] = check_languages("languages", changes["languages"])
        for name, value in changes.items():
            setattr(vendor, name, value)
        uow.audit("vendor.profile_updated", actor=cmd.access.actor, at=clock.now(), target_type="vendor",
                  target_id=vendor.id, platform_id=vendor.platform_id, vendor_id=vendor.id,
                  details={"changed": sorted(changes)})
        uow.commit()
        return VendorView.model_validate(vendor)
