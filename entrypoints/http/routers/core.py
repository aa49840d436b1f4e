"""HTTP routes of the core module: the module catalogue and the audit log (admin)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from application.core.use_cases.list_audit_entries import ListAuditEntries, list_audit_entries
from application.core.use_cases.list_modules import list_modules as list_module_views
from contracts.core.dto import AuditEntryView, ModuleView
from contracts.shared.pagination import MAX_PAGE_SIZE, Page
from entrypoints.http.deps import AdminDep, ContainerDep

router = APIRouter(prefix="/api/v1/admin", tags=["core"])


@router.get("/modules", response_model=list[ModuleView])
def list_modules(_admin: AdminDep, container: ContainerDep) -> list[ModuleView]:
    """Every module with its class, requirements, tasks, schedules and permissions."""
    return list_module_views(registry=container.registry)


@router.get("/audit-log", response_model=Page[AuditEntryView])
def audit_log(
    _admin: AdminDep,
    container: ContainerDep,
    limit: Annotated[int | None, Query(ge=1, le=MAX_PAGE_SIZE)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    action: str | None = None,
    platform_id: int | None = None,
    since: datetime | None = None,
) -> Page[AuditEntryView]:
    """The audit log, newest first; ``limit`` defaults to CORE_AUDIT_PAGE_SIZE."""
    cmd = ListAuditEntries(
        limit=limit or container.configuration.module("core").audit_page_size, offset=offset, action=action, platform_id=platform_id, since=since
    )
    return list_audit_entries(cmd, uow=container.unit_of_work("core"))
