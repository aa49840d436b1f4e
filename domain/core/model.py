"""The core module's model: the runs of background tasks."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

import attrs

from domain.shared.errors import Conflict


class TaskState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    DEAD = "dead"  # its worker stopped heartbeating


FINISHED_STATES = frozenset({TaskState.SUCCEEDED, TaskState.FAILED, TaskState.CANCELLED})
RETRYABLE_STATES = frozenset({TaskState.FAILED, TaskState.DEAD, TaskState.CANCELLED})


@attrs.define(slots=False, eq=False, kw_only=True)
class TaskRun:
    """One run of a background task, as the admin side sees and steers it."""

    id: UUID
    task: str
    module: str
    queue: str
    args: dict[str, Any] = attrs.field(factory=dict)
    idempotency_key: str | None = None
    platform_id: int | None = None
    vendor_id: int | None = None
    state: str = TaskState.QUEUED
    attempt: int = 0
    max_retries: int = 0
    message_id: str | None = None
    enqueued_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    heartbeat_at: datetime | None = None
    progress: int = 0
    progress_message: str | None = None
    result: dict[str, Any] | None = None
    error: str | None = None
    cancel_requested: bool = False

    def request_cancel(self, now: datetime) -> None:
        """A queued run is cancelled at once; a running one is asked to stop between batches."""
        if self.state == TaskState.QUEUED:
            self.state = TaskState.CANCELLED
            self.cancel_requested = True
            self.finished_at = now
        elif self.state == TaskState.RUNNING:
            self.cancel_requested = True
        else:
            raise Conflict(f"task run {self.id} is {self.state}; only queued or running runs can be cancelled", state=str(self.state))

    def retry(self, now: datetime) -> None:
        """Queue a failed, dead or cancelled run again."""
        if self.state not in RETRYABLE_STATES:
            raise Conflict(f"task run {self.id} is {self.state}; only failed, dead or cancelled runs can be retried", state=str(self.state))
        self.state = TaskState.QUEUED
        self.cancel_requested = False
        self.error = None
        self.finished_at = None
        self.progress = 0
        self.progress_message = None
        self.enqueued_at = now
