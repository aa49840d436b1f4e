from __future__ import annotations

from typing import Literal

import attrs

from application.shared.ports import Clock
from application.tenancy.access import Access
from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import VendorView


@attrs.frozen(kw_only=True)
class SetVendorStatus:
    platform_id: int
    vendor_id: int
    status: Literal["active", "suspended", "closed"]
    access: Access


def set_vendor_status(cmd: SetVendorStatus, *, uow: TenancyUnitOfWork, clock: Clock) -> VendorView:
    """Suspend, reactivate or close a vendor (a closed vendor stays closed)."""
    with uow:
        vendor = uow.vendors(cmd.platform_id).get(cmd.vendor_id)
        if cmd.status == "suspended":
            vendor.suspend(clock.now())
        elif cmd.status == "closed":
            vendor.close()
        else:
            vendor.reactivate()
        action = {"suspended": "vendor.suspended", "closed": "vendor.closed"}.get(cmd.status, "vendor.reactivated")
        uow.audit(action, actor=cmd.access.actor, at=clock.now(), target_type="vendor",
                  target_id=vendor.id, platform_id=cmd.platform_id, vendor_id=vendor.id)
        uow.commit()
        return VendorView.model_validate(vendor)
