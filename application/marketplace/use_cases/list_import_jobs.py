"""Import jobs of one vendor (the vendor side) or of every vendor of a platform (the admin side)."""

from __future__ import annotations

from datetime import datetime

from application.marketplace.ports import MarketplaceUnitOfWork
from application.marketplace.views import job_view
from contracts.marketplace.dto import ImportJobFilter, ImportJobView
from contracts.shared.pagination import Page, PageRequest


def list_vendor_import_jobs(vendor_id: int, filters: ImportJobFilter, page: PageRequest, *,
                            uow: MarketplaceUnitOfWork, now: datetime) -> Page[ImportJobView]:
    """Newest first; ``filters.vendor_id`` is ignored (the vendor is the one in the path)."""
    with uow:
        items, total = uow.jobs(vendor_id).list(filters, page.limit, page.offset)
        return Page(items=[job_view(j, now) for j in items], total=total, limit=page.limit, offset=page.offset)


def list_platform_import_jobs(platform_id: int, filters: ImportJobFilter, page: PageRequest, *,
                              uow: MarketplaceUnitOfWork, now: datetime) -> Page[ImportJobView]:
    """Every vendor's jobs on the platform, newest first, filtered by vendor, state, language."""
    with uow:
        items, total = uow.platform_jobs(platform_id).list(filters, page.limit, page.offset)
        return Page(items=[job_view(j, now) for j in items], total=total, limit=page.limit, offset=page.offset)
