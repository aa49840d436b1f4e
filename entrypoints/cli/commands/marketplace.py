"""``wizamart marketplace ...``: import a product feed file in process, with a progress bar."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from application.marketplace.use_cases.create_import_job import CreateImportJob, create_import_job
from application.marketplace.use_cases.export_feeds import (
    LANGUAGES,
    export_platform_listings,
    export_vendor_products,
    platform_file,
    platform_folder,
    vendor_file,
    vendor_folder,
)
from application.marketplace.use_cases.list_import_jobs import list_platform_import_jobs
from application.marketplace.use_cases.process_import import ImportProgress, process_import
from application.tenancy.use_cases.find_by_code import vendor_id_by_code
from contracts.marketplace.dto import ImportJobFilter, ImportOptions
from contracts.shared.pagination import PageRequest
from domain.marketplace.model import FileTooLarge
from domain.shared.errors import Conflict, NotFound, ValidationFailed
from entrypoints.cli.commands.tenancy import operator, platform_id
from entrypoints.cli.context import console, container

app = typer.Typer(help="Letzshop product feed imports.", no_args_is_help=True)

Platform = Annotated[str, typer.Option(help="Platform code")]


def _enabled_platform(code: str) -> int:
    c = container()
    pid = platform_id(c, code)
    if not c.accepts("marketplace", pid):
        raise Conflict(f"marketplace is off for platform '{code}' (wizamart modules enable marketplace)")
    return pid


@app.command("import")
def import_feed(
    file: Annotated[Path, typer.Argument(help="Feed file: tab, semicolon or comma separated")],
    vendor: Annotated[str, typer.Option(help="Vendor code")],
    platform: Platform,
    language: Annotated[str, typer.Option(help="Language of the file's texts: en, fr or de")] = "fr",
    stage_only: Annotated[bool, typer.Option(help="Only stage the listings; leave the catalog alone")] = False,
    update_only: Annotated[bool, typer.Option(help="Update catalog products; create none")] = False,
) -> None:
    """Import FILE for VENDOR now, in this process (the job is recorded like any other)."""
    c = container()
    pid = _enabled_platform(platform)
    vid = vendor_id_by_code(pid, vendor, uow=c.unit_of_work("tenancy"))
    config = c.configuration.module("marketplace")
    if not file.is_file():
        raise NotFound(f"no file {file}")
    size = file.stat().st_size
    if size > config.max_file_bytes:  # refused before reading a byte
        raise FileTooLarge(f"{file} is larger than {config.max_file_mb} MB (MARKETPLACE_MAX_FILE_MB)")
    if language not in ("en", "fr", "de"):
        raise ValidationFailed.for_field("language", "choose from en, fr, de")
    services = c.module_services("marketplace")
    with file.open("rb") as upload:
        job = create_import_job(
            CreateImportJob(platform_id=pid, vendor_id=vid, actor=operator().actor, upload=upload, file_name=file.name,
                            options=ImportOptions(language=language, into_catalog=not stage_only,  # type: ignore[arg-type]
                                                  create_missing=not update_only)),
            uow=c.unit_of_work("marketplace"), limits=getattr(c.module_services("billing"), "limits", None),
            files=services.files, task_queue=c.task_queue, config=config, clock=c.clock, enqueue=False)
    started = time.monotonic()
    columns = (TextColumn("[bold]import"), BarColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[rows]:,} rows"), TextColumn("{task.fields[rate]:,.0f} rows/s"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("import", total=max(1, size), rows=0, rate=0.0)

        def progress(p: ImportProgress) -> None:
            elapsed = max(1e-6, time.monotonic() - started)
            bar.update(task, completed=p.bytes_read, rows=p.rows_read, rate=p.rows_read / elapsed)

        result = process_import(job.id, uow_factory=lambda: c.unit_of_work("marketplace"), files=services.files,
                                catalog=getattr(c.module_services("catalog"), "feed", None), config=config,
                                clock=c.clock, task_queue=c.task_queue, progress=progress)
        if result.get("state") == "succeeded":
            bar.update(task, completed=max(1, size))
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
    platform: Platform,
    vendor: Annotated[str | None, typer.Option(help="Vendor code")] = None,
    state: Annotated[str | None, typer.Option(help="queued, running, succeeded, failed, cancelled")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 20,
) -> None:
    """A platform's import jobs, newest first."""
    c = container()
    pid = _enabled_platform(platform)
    vid = vendor_id_by_code(pid, vendor, uow=c.unit_of_work("tenancy")) if vendor else None
    page = list_platform_import_jobs(pid, ImportJobFilter(vendor_id=vid, state=state), PageRequest(limit=limit),  # type: ignore[arg-type]
                                     uow=c.unit_of_work("marketplace"), now=c.clock.now())
    table = Table("id", "vendor", "file", "lang", "state", "read", "created", "updated", "unchanged", "rejected")
    for j in page.items:
        table.add_row(str(j.id), str(j.vendor_id), j.file_name, j.language, j.state, str(j.rows_read),
                      str(j.created), str(j.updated), str(j.unchanged), str(j.rejected))
    console.print(table)


@app.command("export")
def export_feeds(
    platform: Platform,
    vendor: Annotated[str | None, typer.Option(help="Vendor code; without it, the platform's staged listings")] = None,
) -> None:
    """Write feed files now, in this process (one TSV per language), and print them."""
    c = container()
    pid = _enabled_platform(platform)
    services = c.module_services("marketplace")
    if vendor:
        vid = vendor_id_by_code(pid, vendor, uow=c.unit_of_work("tenancy"))
        folder, names = vendor_folder(vid), {lang: vendor_file(vid, lang) for lang in LANGUAGES}
        rows = export_vendor_products(vid, catalog=c.module_services("catalog").feed, exports=services.exports)
    else:
        folder, names = platform_folder(pid), {lang: platform_file(lang) for lang in LANGUAGES}
        rows = export_platform_listings(pid, listings=services.listings.stream, exports=services.exports)
    for lang, count in rows.items():
        console.print(f"{services.exports.path(folder, names[lang])}  {count:,} rows", soft_wrap=True)
