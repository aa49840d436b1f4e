"""A vendor asks for an import: from an uploaded file (stored now, in chunks, within the size
limit) or from an URL (fetched by the task). The plan must allow one more import job today."""

from __future__ import annotations

from typing import BinaryIO
from uuid import uuid4

import attrs

from application.marketplace.config import MarketplaceConfig
from application.marketplace.ports import FeedFiles, MarketplaceUnitOfWork
from application.marketplace.views import job_view
from application.shared.ports import Clock
from application.shared.tasks import TaskQueue
from contracts.billing.facade import PlanLimits
from contracts.marketplace.dto import ImportJobView, ImportOptions
from contracts.marketplace.events import ImportJobQueued
from domain.marketplace.model import ImportJob, ImportSource
from domain.shared.errors import LimitExceeded, ValidationFailed

TASK = "marketplace.process_marketplace_import"


@attrs.frozen(kw_only=True)
class CreateImportJob:
    platform_id: int
    vendor_id: int
    options: ImportOptions
    actor: str
    url: str | None = None
    upload: BinaryIO | None = None
    file_name: str = ""


def enqueue_import(task_queue: TaskQueue, job_id: int, platform_id: int, vendor_id: int, key: str) -> None:
    """One run per logical start: ``key`` is ``import-<job>`` at creation, and names the job
    that finished when a vendor's next queued job is started."""
    task_queue.enqueue(TASK, job_id=job_id, platform_id=platform_id, vendor_id=vendor_id, idempotency_key=key)


def create_import_job(
    cmd: CreateImportJob, *, uow: MarketplaceUnitOfWork, limits: PlanLimits, files: FeedFiles,
    task_queue: TaskQueue, config: MarketplaceConfig, clock: Clock, enqueue: bool = True,
) -> ImportJobView:
    """Queue the job (publishing ImportJobQueued in the same transaction) and enqueue its task.
    ``enqueue=False``: the caller processes it itself (the CLI, in process)."""
    if (cmd.url is None) == (cmd.upload is None):
        raise ValidationFailed.for_field("source", "give either a file or an URL")
    if cmd.url is not None:
        files.check_url(cmd.url)
    check = limits.check(cmd.platform_id, cmd.vendor_id, "import_jobs")
    if not check.allowed:
        raise LimitExceeded(f"no import job allowed: {check.reason}", limit="import_jobs")
    key = None
    size = None
    if cmd.upload is not None:
        key = f"upload-{uuid4().hex}"
        size = files.save(key, cmd.upload, max_bytes=config.max_file_bytes)
    now = clock.now()
    try:
        with uow:
            job = ImportJob(
                platform_id=cmd.platform_id, vendor_id=cmd.vendor_id, language=cmd.options.language,
                source=ImportSource.UPLOAD if key else ImportSource.URL, url=cmd.url,
                file_name=(cmd.file_name or cmd.url or "")[:255], file_key=key, file_size=size,
                into_catalog=cmd.options.into_catalog, create_missing=cmd.options.create_missing,
                created_by=cmd.actor, created_at=now, updated_at=now,
            )
            uow.jobs(cmd.vendor_id).add(job)
            uow.flush()
            assert job.id is not None
            uow.publish(ImportJobQueued(occurred_at=now, platform_id=cmd.platform_id, vendor_id=cmd.vendor_id,
                                        job_id=job.id))
            uow.audit("marketplace.import_queued", actor=cmd.actor, at=now, target_type="import_job",
                      target_id=job.id, platform_id=cmd.platform_id, vendor_id=cmd.vendor_id,
                      details={"source": job.source, "language": job.language, "file": job.file_name})
            uow.commit()
    except BaseException:
        if key is not None:
            files.remove(key)
        raise
    if enqueue:
        enqueue_import(task_queue, job.id, job.platform_id, job.vendor_id, f"import-{job.id}")
    return job_view(job, now)
