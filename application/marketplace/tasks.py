"""The marketplace module's tasks, and ``run_import``: an import job processed with the module's
wiring (by the task, and in process by the CLI). Idempotent by state: a finished job is skipped
and a running one resumes after its last committed batch (see use_cases/process_import.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from application.marketplace.use_cases.create_import_job import CreateImportJob, create_import_job
from application.marketplace.use_cases.export_feeds import export_platform_listings, export_vendor_products
from application.marketplace.use_cases.process_import import ImportProgress, abandon_stalled, process_import
from application.shared.context import ModuleContext, TaskContext
from contracts.marketplace.dto import ImportJobView
from domain.marketplace.model import ImportState


def queue_import(ctx: ModuleContext, cmd: CreateImportJob, *, enqueue: bool = True) -> ImportJobView:
    """``create_import_job`` with everything taken from the module's context (HTTP, the CLI)."""
    return create_import_job(cmd, uow=ctx.unit_of_work(), limits=ctx.facades("billing").limits,
                             files=ctx.services.files, task_queue=ctx.task_queue, config=ctx.config, clock=ctx.clock,
                             enqueue=enqueue)


def run_import(ctx: ModuleContext, job_id: int, *, cancelled: Callable[[], bool] = lambda: False,
               progress: Callable[[ImportProgress], None] | None = None) -> dict[str, Any]:
    """``process_import`` of job ``job_id`` with everything taken from the module's context."""
    return process_import(job_id, uow_factory=ctx.unit_of_work, files=ctx.services.files,
                          catalog=ctx.facades("catalog").feed, config=ctx.config, clock=ctx.clock,
                          task_queue=ctx.task_queue, cancelled=cancelled, progress=progress)


def process_marketplace_import(ctx: TaskContext, job_id: int) -> dict[str, Any]:
    """Import job ``job_id``; stops between batches when the job or this task run is cancelled
    (the run is then recorded cancelled; a cancelled job alone ends the run normally)."""

    def progress(p: ImportProgress) -> None:
        ctx.progress(p.percent, f"{p.rows_read} rows")

    result = run_import(ctx, job_id, cancelled=lambda: ctx.reporter.cancel_requested(ctx.run_id),
                        progress=progress)
    if result.get("state") == ImportState.CANCELLED:
        ctx.check_cancelled()
    return result


def resume_stalled_imports(ctx: TaskContext) -> dict[str, Any]:
    """Abandon the imports whose worker is gone and start what their vendors queued after them."""
    abandoned = abandon_stalled(uow_factory=ctx.unit_of_work, files=ctx.services.files, config=ctx.config,
                                clock=ctx.clock, task_queue=ctx.task_queue)
    return {"abandoned": abandoned}


def export_vendor_products_to_folder(ctx: TaskContext, vendor: int) -> dict[str, Any]:
    """Write the vendor's active products, one feed file per language, each atomically; a rerun
    rewrites the same files."""
    rows = export_vendor_products(vendor, catalog=ctx.facades("catalog").feed, exports=ctx.services.exports)
    return {"vendor_id": vendor, "rows": rows}


def export_marketplace_products(ctx: TaskContext, platform: int) -> dict[str, Any]:
    """Write the platform's staged marketplace listings, one feed file per language."""
    rows = export_platform_listings(platform, listings=ctx.services.listings, exports=ctx.services.exports)
    return {"platform_id": platform, "rows": rows}
