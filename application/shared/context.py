"""What a module's hooks, event handlers and tasks receive from the composition root."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import attrs

from application.shared.ports import Clock
from application.shared.tasks import TaskCancelled, TaskQueue, TaskRunReporter


@attrs.frozen
class HealthReport:
    ok: bool
    detail: str = ""


@attrs.frozen
class ModuleContext:
    """The wiring of one module: its config, the clock, a factory of its unit of work, the task
    queue and its own extra ports. Use cases take what they need from it as keyword arguments."""

    code: str
    config: Any
    clock: Clock
    unit_of_work: Callable[[], Any]
    task_queue: TaskQueue
    services: Any = None  # module-specific ports built by adapters/<code>/repositories.services
    # Another module's services, by code: its contracts facades (ctx.facades("catalog").feed).
    facades: Callable[[str], Any] = attrs.field(default=lambda code: None, kw_only=True)


@attrs.frozen
class TaskContext(ModuleContext):
    """A module context for one task run: report progress, and stop when cancelled."""

    run_id: UUID = attrs.field(kw_only=True)
    reporter: TaskRunReporter = attrs.field(kw_only=True)

    def progress(self, percent: int, message: str | None = None) -> None:
        self.reporter.progress(self.run_id, max(0, min(100, percent)), message)

    def check_cancelled(self) -> None:
        """Call between batches: raises TaskCancelled once an admin asked to cancel the run."""
        if self.reporter.cancel_requested(self.run_id):
            raise TaskCancelled(f"task run {self.run_id} was cancelled")
