"""One import job with its progress and its first stored errors."""

from __future__ import annotations

from datetime import datetime

from application.marketplace.ports import MarketplaceUnitOfWork
from application.marketplace.views import job_view
from contracts.marketplace.dto import ImportErrorView, ImportJobDetail

ERRORS_SHOWN = 100  # the rest are in the CSV download


def get_import_job(vendor_id: int, job_id: int, *, uow: MarketplaceUnitOfWork, now: datetime) -> ImportJobDetail:
    with uow:
        jobs = uow.jobs(vendor_id)
        job = jobs.get(job_id)
        errors = [ImportErrorView.model_validate(e) for e in jobs.errors(job_id, ERRORS_SHOWN)]
        return ImportJobDetail(**job_view(job, now).model_dump(), errors=errors)


def get_platform_import_job(platform_id: int, job_id: int, *, uow: MarketplaceUnitOfWork,
                            now: datetime) -> ImportJobDetail:
    """The admin side: any vendor's job on the platform."""
    with uow:
        job = uow.platform_jobs(platform_id).get(job_id)
        errors = [ImportErrorView.model_validate(e) for e in uow.jobs(job.vendor_id).errors(job_id, ERRORS_SHOWN)]
        return ImportJobDetail(**job_view(job, now).model_dump(), errors=errors)
