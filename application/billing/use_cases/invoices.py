from __future__ import annotations

from application.billing.ports import BillingUnitOfWork
from contracts.billing.dto import InvoiceView


def list_invoices(platform_id: int, vendor_id: int, *, uow: BillingUnitOfWork) -> list[InvoiceView]:
    """A vendor's invoices, newest first (the vendor must be billed on this platform)."""
    with uow:
        uow.subscriptions(platform_id).of_vendor(vendor_id)
        return [InvoiceView.model_validate(i) for i in uow.invoices(vendor_id).list()]
