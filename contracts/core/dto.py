"""What the core module shows the outside world."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class AuditEntryView(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    occurred_at: datetime
    actor: str
    action: str
    target_type: str | None
    target_id: str | None
    platform_id: int | None
    vendor_id: int | None
    details: dict[str, Any]
    request_id: str | None


class TaskSpecView(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    queue: str
    time_limit_seconds: int
    max_retries: int


class ScheduleView(BaseModel):
    model_config = ConfigDict(frozen=True)

    task: str
    cron: str
    timezone: str
    catch_up: str
    enabled: bool


class ModuleView(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    description: str
    classification: str
    requires: list[str]
    permissions: list[str]
    tasks: list[TaskSpecView]
    schedules: list[ScheduleView]


class ScheduleStateView(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    cron: str
    timezone: str
    catch_up: str
    enabled: bool
    paused: bool
    next_fire_at: datetime | None


class TaskRunView(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: UUID
    task: str
    module: str
    queue: str
    args: dict[str, Any]
    idempotency_key: str | None
    platform_id: int | None
    vendor_id: int | None
    state: str
    attempt: int
    max_retries: int
    enqueued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime | None
    progress: int
    progress_message: str | None
    result: dict[str, Any] | None
    error: str | None
    cancel_requested: bool


class TaskRunQuery(BaseModel):
    """Filters and paging of the task-run listing."""

    model_config = ConfigDict(frozen=True)

    state: str | None = None
    task: str | None = None
    module: str | None = None
    vendor_id: int | None = None
    platform_id: int | None = None
    since: datetime | None = None
    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0)


class RunTaskRequest(BaseModel):
    """Run a task now: ``task`` is ``<module>.<task>``; ``args`` are its keyword arguments."""

    task: str = Field(min_length=3, pattern=r"^[a-z_]+\.[a-z_0-9]+$")
    args: dict[str, Any] = Field(default_factory=dict)
    platform_id: int | None = None
    vendor_id: int | None = None
