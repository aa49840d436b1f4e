"""HTTP routes of the marketplace module: a vendor's feed imports (upload or URL, list, detail,
cancel, errors as CSV) and every vendor's imports for platform admins. Mounted behind
require_module("marketplace")."""

from __future__ import annotations

from itertools import chain
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.types import Message

from application.marketplace.tasks import queue_import
from application.marketplace.use_cases.cancel_import_job import CancelImportJob, cancel_import_job
from application.marketplace.use_cases.create_import_job import CreateImportJob
from application.marketplace.use_cases.export_feeds import (
    enqueue_platform_export,
    enqueue_vendor_export,
    platform_file,
    platform_folder,
    vendor_file,
    vendor_folder,
)
from application.marketplace.use_cases.get_import_job import get_import_job, get_platform_import_job
from application.marketplace.use_cases.import_errors_csv import import_errors_csv
from application.marketplace.use_cases.list_import_jobs import (
    list_platform_import_jobs,
    list_vendor_import_jobs,
)
from application.tenancy.access import Access
from contracts.marketplace.dto import (
    ImportJobDetail,
    ImportJobFilter,
    ImportJobView,
    ImportOptions,
    ImportStateName,
    Language,
    UrlImportIn,
)
from contracts.shared.pagination import Page, PageRequest
from domain.marketplace.model import FileTooLarge
from domain.shared.errors import NotFound, ValidationFailed
from entrypoints.bootstrap import Container
from entrypoints.http.auth import authorize
from entrypoints.http.deps import ContainerDep

router = APIRouter(tags=["marketplace"])

MarketplaceView = Annotated[Access, authorize("marketplace.view")]
MarketplaceManage = Annotated[Access, authorize("marketplace.manage")]
ImportsView = Annotated[Access, authorize("marketplace.imports.view")]
Paging = Annotated[PageRequest, Query()]

VENDOR = "/api/v1/vendor/{vendor_id}/marketplace"
PLATFORM = "/api/v1/admin/platforms/{platform_id}/marketplace"
MULTIPART_SLACK = 64 * 1024  # boundaries and part headers around the file
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary", "description": "The feed file"}},
        }}},
    }
}


def _uow(container: Container, *, read_only: bool = False):  # type: ignore[no-untyped-def]
    """Reads are read-only: on SQLite they do not queue behind a running import's batches."""
    return container.unit_of_work("marketplace", read_only=read_only)


def _create(container: Container, access: Access, vendor_id: int, options: ImportOptions, **source: Any) -> ImportJobView:
    return queue_import(container.module_context("marketplace"), CreateImportJob(
        platform_id=access.platform_id, vendor_id=vendor_id, options=options,  # type: ignore[arg-type]
        actor=access.actor, **source))


@router.post(f"{VENDOR}/imports/upload", response_model=ImportJobView, status_code=202, openapi_extra=UPLOAD_BODY,
             responses={413: {"description": "The file is over MARKETPLACE_MAX_FILE_MB (problem file-too-large)"}})
async def upload_import(vendor_id: int, request: Request, access: MarketplaceManage, container: ContainerDep,
                        language: Language = "fr", into_catalog: bool = True,
                        create_missing: bool = True) -> ImportJobView:
    """Upload a feed file (multipart field ``file``) and queue its import: 202 with the job.
    A body over MARKETPLACE_MAX_FILE_MB is refused by its Content-Length before it is read,
    and otherwise while it streams to disk."""
    config = container.configuration.module("marketplace")
    limit = config.max_file_bytes + MULTIPART_SLACK
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise FileTooLarge.over(config.max_file_bytes)
    received = 0
    receive = request.receive

    async def counted() -> Message:  # a chunked body has no Content-Length: count as it arrives
        nonlocal received
        message = await receive()
        received += len(message.get("body", b""))
        if received > limit:
            raise FileTooLarge.over(config.max_file_bytes)
        return message

    form = await Request(request.scope, counted).form(max_files=1, max_fields=5)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ValidationFailed.for_field("file", "a multipart file field 'file' is required")
        options = ImportOptions(language=language, into_catalog=into_catalog, create_missing=create_missing)
        return await run_in_threadpool(_create, container, access, vendor_id, options, upload=upload.file,
                                       file_name=upload.filename or "upload")
    finally:
        await form.close()


@router.post(f"{VENDOR}/imports", response_model=ImportJobView, status_code=202)
def url_import(vendor_id: int, body: UrlImportIn, access: MarketplaceManage, container: ContainerDep) -> ImportJobView:
    """Queue the import of a feed at an https:// URL: the task fetches it (MARKETPLACE_URL_TIMEOUT_SECONDS,
    MARKETPLACE_MAX_FILE_MB). 202 with the job."""
    options = ImportOptions.model_validate(body.model_dump(exclude={"url"}))
    return _create(container, access, vendor_id, options, url=body.url)


@router.get(f"{VENDOR}/imports", response_model=Page[ImportJobView])
def vendor_imports(vendor_id: int, _: MarketplaceView, container: ContainerDep, page: Paging,
                   state: ImportStateName | None = None, language: Language | None = None) -> Page[ImportJobView]:
    """The vendor's import jobs, newest first."""
    return list_vendor_import_jobs(vendor_id, ImportJobFilter(state=state, language=language), page,
                                   uow=_uow(container, read_only=True), now=container.clock.now())


@router.get(f"{VENDOR}/imports/{{job_id}}", response_model=ImportJobDetail)
def vendor_import(vendor_id: int, job_id: int, _: MarketplaceView, container: ContainerDep) -> ImportJobDetail:
    """One job: state, progress, counts, timings and its first errors (all of them: errors.csv)."""
    return get_import_job(vendor_id, job_id, uow=_uow(container, read_only=True), now=container.clock.now())


@router.get(f"{VENDOR}/imports/{{job_id}}/errors.csv", response_class=StreamingResponse,
            responses={200: {"content": {"text/csv": {}}, "description": "line, column, reason, external_id, severity"}})
def vendor_import_errors(vendor_id: int, job_id: int, _: MarketplaceView, container: ContainerDep) -> StreamingResponse:
    """The job's stored errors (up to MARKETPLACE_MAX_ERRORS_PER_JOB) as CSV."""
    lines = import_errors_csv(vendor_id, job_id, uow=_uow(container, read_only=True))
    first = next(lines)  # looks the job up now: 404 before the response starts
    return StreamingResponse(
        chain((first,), lines), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="import-{job_id}-errors.csv"'})


@router.post(f"{VENDOR}/imports/{{job_id}}/cancel", response_model=ImportJobView)
def cancel_import(vendor_id: int, job_id: int, access: MarketplaceManage, container: ContainerDep) -> ImportJobView:
    """A queued job is cancelled at once; a running one stops after its current batch. 409 once ended."""
    return cancel_import_job(CancelImportJob(vendor_id=vendor_id, job_id=job_id, actor=access.actor),
                             uow=_uow(container), clock=container.clock)


@router.get(f"{PLATFORM}/imports", response_model=Page[ImportJobView])
def platform_imports(platform_id: int, _: ImportsView, container: ContainerDep, page: Paging,
                     vendor_id: int | None = None, state: ImportStateName | None = None,
                     language: Language | None = None) -> Page[ImportJobView]:
    """Every vendor's import jobs on the platform, newest first."""
    return list_platform_import_jobs(platform_id, ImportJobFilter(vendor_id=vendor_id, state=state, language=language),
                                     page, uow=_uow(container, read_only=True), now=container.clock.now())


@router.get(f"{PLATFORM}/imports/{{job_id}}", response_model=ImportJobDetail)
def platform_import(platform_id: int, job_id: int, _: ImportsView, container: ContainerDep) -> ImportJobDetail:
    return get_platform_import_job(platform_id, job_id, uow=_uow(container, read_only=True),
                                   now=container.clock.now())


def _export_file(container: Container, folder: str, name: str) -> FileResponse:
    path = container.module_services("marketplace").exports.path(folder, name)
    if path is None:
        raise NotFound("no export yet: POST to .../marketplace/exports first")
    return FileResponse(path, media_type="text/tab-separated-values", filename=name)


@router.post(f"{VENDOR}/exports", status_code=202)
def vendor_export(vendor_id: int, access: MarketplaceManage, container: ContainerDep) -> dict[str, str]:
    """Queue the export of the vendor's active products (one TSV per language)."""
    run = enqueue_vendor_export(container.task_queue, access.platform_id, vendor_id)  # type: ignore[arg-type]
    return {"run_id": str(run)}


@router.get(f"{VENDOR}/exports/{{language}}", response_class=FileResponse)
def vendor_export_file(vendor_id: int, language: Language, _: MarketplaceView, container: ContainerDep) -> FileResponse:
    return _export_file(container, vendor_folder(vendor_id), vendor_file(vendor_id, language))


@router.post(f"{PLATFORM}/exports", status_code=202)
def platform_export(platform_id: int, _: ImportsView, container: ContainerDep) -> dict[str, str]:
    """Queue the export of every vendor's staged marketplace listings on the platform."""
    run = enqueue_platform_export(container.task_queue, platform_id)
    return {"run_id": str(run)}


@router.get(f"{PLATFORM}/exports/{{language}}", response_class=FileResponse)
def platform_export_file(platform_id: int, language: Language, _: ImportsView, container: ContainerDep) -> FileResponse:
    return _export_file(container, platform_folder(platform_id), platform_file(language))
