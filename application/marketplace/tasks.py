"""The marketplace module's task. Idempotent by state: a finished job is skipped and a running
one resumes after its last committed batch (see use_cases/process_import.py)."""

from __future__ import annotations

from typing import Any

from application.marketplace.use_cases.export_feeds import export_platform_listings, export_vendor_products
from application.marketplace.use_cases.process_import import ImportProgress, process_import
from application.shared.context import TaskContext


def process_marketplace_import(ctx: TaskContext, job_id: int) -> dict[str, Any]:
    """Import job ``job_id``; stops between batches when the job or this task run is cancelled."""

    def progress(p: ImportProgress) -> None:
        ctx.progress(p.percent, f"{p.rows_read} rows")

    catalog = getattr(ctx.facades("catalog"), "feed", None)
    return process_import(job_id, uow_factory=ctx.unit_of_work, files=ctx.services.files, catalog=catalog,
                          config=ctx.config, clock=ctx.clock, task_queue=ctx.task_queue,
                          cancelled=lambda: ctx.reporter.cancel_requested(ctx.run_id), progress=progress)


def export_vendor_products_to_folder(ctx: TaskContext, vendor: int) -> dict[str, Any]:
    """Write the vendor's active products, one feed file per language, each atomically; a rerun
    rewrites the same files."""
    rows = export_vendor_products(vendor, catalog=ctx.facades("catalog").feed, exports=ctx.services.exports)
    return {"vendor_id": vendor, "rows": rows}


def export_marketplace_products(ctx: TaskContext, platform: int) -> dict[str, Any]:
    """Write the platform's staged marketplace listings, one feed file per language."""
    rows = export_platform_listings(platform, listings=ctx.services.listings.stream, exports=ctx.services.exports)
    return {"platform_id": platform, "rows": rows}
