"""Cancel an import: a queued job at once, a running one between two batches (what the batches
committed so far stays)."""

from __future__ import annotations

import attrs

from application.marketplace.ports import MarketplaceUnitOfWork
from application.marketplace.views import job_view
from application.shared.ports import Clock
from contracts.marketplace.dto import ImportJobView


@attrs.frozen(kw_only=True)
class CancelImportJob:
    vendor_id: int
    job_id: int
    actor: str


def cancel_import_job(cmd: CancelImportJob, *, uow: MarketplaceUnitOfWork, clock: Clock) -> ImportJobView:
    now = clock.now()
    with uow:
        job = uow.jobs(cmd.vendor_id).get(cmd.job_id)
        job.request_cancel(now)
        uow.audit("marketplace.import_cancelled", actor=cmd.actor, at=now, target_type="import_job",
                  target_id=job.id, platform_id=job.platform_id, vendor_id=job.vendor_id,
                  details={"state": str(job.state)})
        uow.commit()
        return job_view(job, now)
