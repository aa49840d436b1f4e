"""``wizamart marketplace ...``: import a product feed file in process, with a progress bar."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from application.marketplace.tasks import queue_import, run_import
from application.marketplace.use_cases.create_import_job import CreateImportJob
from application.marketplace.use_cases.export_feeds import (
    export_platform_listings,
    export_vendor_products,
    platform_file,
    platform_folder,
    vendor_file,
    vendor_folder,
)
from application.marketplace.use_cases.list_import_jobs import list_platform_import_jobs
from application.marketplace.use_cases.process_import import ImportProgress
from contracts.marketplace.dto import ImportJobFilter, ImportOptions, ImportStateName, Language
from contracts.shared.pagination import PageRequest
from domain.marketplace.model import LANGUAGES
from domain.shared.errors import Conflict, NotFound, ValidationFailed
from entrypoints.cli.commands.tenancy import PlatformOption, VendorOption, operator, platform_id, vendor_id
from entrypoints.cli.context import console, container

app = typer.Typer(help="Letzshop product feed imports.", no_args_is_help=True)


def _enabled_platform(code: str) -> int:
    c = container()
    pid = platform_id(c, code)
    if not c.accepts("marketplace", pid):
        raise Conflict(f"marketplace is off for platform '{code}' (wizamart modules enable marketplace)")
    return pid


@app.command("import")
def import_feed(
    file: Annotated[Path, typer.Argument(help="Feed file: tab, semicolon or comma separated")],
    vendor: VendorOption,
    platform: PlatformOption,
    language: Annotated[Language, typer.Option(help="Language of the file's texts")] = "fr",
    stage_only: Annotated[bool, typer.Option(help="Only stage the listings; leave the catalog alone")] = False,
    update_only: Annotated[bool, typer.Option(help="Update catalog products; create none")] = False,
) -> None:
    """Import FILE for VENDOR now, in this process (the job is recorded like any other)."""
    c = container()
    pid = _enabled_platform(platform)
    vid = vendor_id(c, pid, vendor)
    if not file.is_file():
        raise NotFound(f"no file {file}")
    ctx = c.module_context("marketplace")
    with file.open("rb") as upload:  # over MARKETPLACE_MAX_FILE_MB: FileTooLarge, nothing kept
        job = queue_import(ctx, CreateImportJob(
            platform_id=pid, vendor_id=vid, actor=operator().actor, upload=upload, file_name=file.name,
            options=ImportOptions(language=language, into_catalog=not stage_only, create_missing=not update_only),
        ), enqueue=False)
    size = max(1, job.file_size or 0)
    started = time.monotonic()
    columns = (TextColumn("[bold]import"), BarColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[rows]:,} rows"), TextColumn("{task.fields[rate]:,.0f} rows/s"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("import", total=size, rows=0, rate=0.0)

        def progress(p: ImportProgress) -> None:
            elapsed = max(1e-6, time.monotonic() - started)
            bar.update(task, completed=p.bytes_read, rows=p.rows_read, rate=p.rows_read / elapsed)

        result = run_import(ctx, job.id, progress=progress)
        if result.get("state") == "succeeded":
            bar.update(task, completed=size)
    if "waiting" in result:
        raise Conflict(f"another import of vendor '{vendor}' is running: job {job.id} waits for it in the queue")
    elapsed = time.monotonic() - started
    console.print(f"job {job.id} {result['state']}: {result['rows_read']} rows read, {result['created']} created, "
                  f"{result['updated']} updated, {result['unchanged']} unchanged, {result['rejected']} rejected "
                  f"in {elapsed:.1f} s ({result['rows_read'] / max(elapsed, 1e-6):,.0f} rows/s)", highlight=False)
    if result["state"] != "succeeded":
        raise ValidationFailed(f"import job {job.id} {result['state']}: {result.get('error') or 'see its errors'}")


@app.command("jobs")
def jobs(
    platform: PlatformOption,
    vendor: Annotated[str | None, typer.Option(help="Vendor code")] = None,
    state: Annotated[ImportStateName | None, typer.Option(help="Only jobs in this state")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 20,
) -> None:
    """A platform's import jobs, newest first."""
    c = container()
    pid = _enabled_platform(platform)
    vid = vendor_id(c, pid, vendor) if vendor else None
    page = list_platform_import_jobs(pid, ImportJobFilter(vendor_id=vid, state=state), PageRequest(limit=limit),
                                     uow=c.unit_of_work("marketplace", read_only=True), now=c.clock.now())
    table = Table("id", "vendor", "file", "lang", "state", "read", "created", "updated", "unchanged", "rejected")
    for j in page.items:
        table.add_row(str(j.id), str(j.vendor_id), j.file_name, j.language, j.state, str(j.rows_read),
                      str(j.created), str(j.updated), str(j.unchanged), str(j.rejected))
    console.print(table)


@app.command("export")
def export_feeds(
    platform: PlatformOption,
    vendor: Annotated[str | None, typer.Option(help="Vendor code; without it, the platform's staged listings")] = None,
) -> None:
    """Write feed files now, in this process (one TSV per language), and print them."""
    c = container()
    pid = _enabled_platform(platform)
    services = c.module_services("marketplace")
    if vendor:
        vid = vendor_id(c, pid, vendor)
        folder, names = vendor_folder(vid), {lang: vendor_file(vid, lang) for lang in LANGUAGES}
        rows = export_vendor_products(vid, catalog=c.module_services("catalog").feed, exports=services.exports)
    else:
        folder, names = platform_folder(pid), {lang: platform_file(lang) for lang in LANGUAGES}
        rows = export_platform_listings(pid, listings=services.listings, exports=services.exports)
    for lang, count in rows.items():
        console.print(f"{services.exports.path(folder, names[lang])}  {count:,} rows", soft_wrap=True)
