"""What the core module shows the outside world."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


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
