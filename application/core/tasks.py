"""The core module's background tasks. Each is idempotent by a state check: running one twice
relays, reaps or prunes nothing more the second time."""

from __future__ import annotations

from typing import Any

from application.core.use_cases.prune_history import prune_history as prune
from application.core.use_cases.reap_dead_runs import reap_dead_runs as reap
from application.shared.context import TaskContext


def relay_outbox(ctx: TaskContext) -> dict[str, Any]:
    """Deliver pending integration events to their subscribers."""
    return ctx.services.relay_events()


def reap_dead_runs(ctx: TaskContext) -> dict[str, Any]:
    """Mark runs of dead workers and send the retryable ones again."""
    return reap(maintenance=ctx.services, task_queue=ctx.task_queue)


def prune_history(ctx: TaskContext) -> dict[str, Any]:
    """Housekeeping: drop old finished task runs and fired-slot records."""
    return prune(maintenance=ctx.services, config=ctx.config, clock=ctx.clock)
