"""HTTP routes of the core module (admin): modules, audit log, background tasks and schedules."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from application.core.use_cases.cancel_task_run import CancelTaskRun, cancel_task_run
from application.core.use_cases.get_task_run import get_task_run
from application.core.use_cases.list_audit_entries import ListAuditEntries, list_audit_entries
from application.core.use_cases.list_modules import list_modules as list_module_views
from application.core.use_cases.list_task_runs import list_task_runs
from application.core.use_cases.retry_task_run import RetryTaskRun, retry_task_run
from application.core.use_cases.run_task_now import RunTaskNow, run_task_now
from application.core.use_cases.set_schedule_paused import SetSchedulePaused, set_schedule_paused
from application.tenancy.access import Access
from contracts.core.dto import (
    AuditEntryView,
    ModuleView,
    RunTaskRequest,
    ScheduleStateView,
    TaskRunQuery,
    TaskRunView,
    TaskSpecView,
)
from contracts.shared.pagination import MAX_PAGE_SIZE, Page
from entrypoints.bootstrap import Container
from entrypoints.http.auth import authorize
from entrypoints.http.deps import ContainerDep

router = APIRouter(prefix="/api/v1/admin", tags=["core"])

# Operator routes (no tenant in the path): super admins only.
TasksView = Annotated[Access, authorize("core.tasks.view")]
TasksManage = Annotated[Access, authorize("core.tasks.manage")]
AuditView = Annotated[Access, authorize("core.audit.view")]


@router.get("/modules", response_model=list[ModuleView])
def list_modules(_admin: TasksView, container: ContainerDep) -> list[ModuleView]:
    """Every module with its class, requirements, tasks, schedules and permissions."""
    return list_module_views(registry=container.registry)


def _audit_page(container: Container, limit: int | None, offset: int, action: str | None,
                platform_id: int | None, since: datetime | None = None) -> Page[AuditEntryView]:
    cmd = ListAuditEntries(limit=limit or container.configuration.module("core").audit_page_size,
                           offset=offset, action=action, platform_id=platform_id, since=since)
    return list_audit_entries(cmd, uow=container.unit_of_work("core"))


@router.get("/audit-log", response_model=Page[AuditEntryView])
def audit_log(
    _admin: AuditView,
    container: ContainerDep,
    limit: Annotated[int | None, Query(ge=1, le=MAX_PAGE_SIZE)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    action: str | None = None,
    platform_id: int | None = None,
    since: datetime | None = None,
) -> Page[AuditEntryView]:
    """The audit log, newest first; ``limit`` defaults to CORE_AUDIT_PAGE_SIZE."""
    return _audit_page(container, limit, offset, action, platform_id, since)


@router.get("/platforms/{platform_id}/audit-log", response_model=Page[AuditEntryView])
def platform_audit_log(
    platform_id: int,
    _: AuditView,
    container: ContainerDep,
    limit: Annotated[int | None, Query(ge=1, le=MAX_PAGE_SIZE)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    action: str | None = None,
) -> Page[AuditEntryView]:
    """The platform's audit log, newest first; ``limit`` defaults to CORE_AUDIT_PAGE_SIZE."""
    return _audit_page(container, limit, offset, action, platform_id)


# ------------------------------------------------------------------ background work
tasks_router = APIRouter(prefix="/tasks")


@tasks_router.get("/specs", response_model=list[TaskSpecView])
def task_specs(_admin: TasksView, container: ContainerDep) -> list[TaskSpecView]:
    """Every task of every module, with its queue, time limit and retries."""
    return [t for m in list_module_views(registry=container.registry) for t in m.tasks]


@tasks_router.get("/schedules", response_model=list[ScheduleStateView])
def schedules(_admin: TasksView, container: ContainerDep) -> list[ScheduleStateView]:
    """Every schedule with its next fire time and whether it is paused."""
    return container.module_services("core").schedules()


@tasks_router.post("/schedules/{name}/pause", response_model=ScheduleStateView)
def pause_schedule(name: str, admin: TasksManage, container: ContainerDep) -> ScheduleStateView:
    return _set_paused(container, name, True, admin.actor)


@tasks_router.post("/schedules/{name}/resume", response_model=ScheduleStateView)
def resume_schedule(name: str, admin: TasksManage, container: ContainerDep) -> ScheduleStateView:
    return _set_paused(container, name, False, admin.actor)


def _set_paused(container: Container, name: str, paused: bool, actor: str) -> ScheduleStateView:
    return set_schedule_paused(
        SetSchedulePaused(schedule=name, paused=paused, actor=actor),
        uow=container.unit_of_work("core"),
        clock=container.clock,
        maintenance=container.module_services("core"),
    )


@tasks_router.get("/runs", response_model=Page[TaskRunView])
def task_runs(
    _admin: TasksView, container: ContainerDep, query: Annotated[TaskRunQuery, Query()]
) -> Page[TaskRunView]:
    """Task runs, newest first; filter by state, task, module, vendor, platform, since."""
    return list_task_runs(query, uow=container.unit_of_work("core"))


@tasks_router.get("/runs/{run_id}", response_model=TaskRunView)
def task_run(run_id: UUID, _admin: TasksView, container: ContainerDep) -> TaskRunView:
    return get_task_run(run_id, uow=container.unit_of_work("core"))


@tasks_router.post("/runs/{run_id}/retry", response_model=TaskRunView)
def retry_run(run_id: UUID, admin: TasksManage, container: ContainerDep) -> TaskRunView:
    """Queue a failed, dead or cancelled run again (409 otherwise)."""
    return retry_task_run(
        RetryTaskRun(run_id=run_id, actor=admin.actor),
        uow=container.unit_of_work("core"),
        clock=container.clock,
        task_queue=container.task_queue,
    )


@tasks_router.post("/runs/{run_id}/cancel", response_model=TaskRunView)
def cancel_run(run_id: UUID, admin: TasksManage, container: ContainerDep) -> TaskRunView:
    """Cancel a queued run, or ask a running one to stop between batches (409 otherwise)."""
    return cancel_task_run(
        CancelTaskRun(run_id=run_id, actor=admin.actor),
        uow=container.unit_of_work("core"),
        clock=container.clock,
    )


@tasks_router.post("/runs", response_model=TaskRunView, status_code=202)
def run_now(request: RunTaskRequest, admin: TasksManage, container: ContainerDep) -> TaskRunView:
    """Run a task now with arguments."""
    run_id = run_task_now(
        RunTaskNow(request=request, actor=admin.actor),
        uow=container.unit_of_work("core"),
        clock=container.clock,
        task_queue=container.task_queue,
    )
    return get_task_run(run_id, uow=container.unit_of_work("core"))


router.include_router(tasks_router)
