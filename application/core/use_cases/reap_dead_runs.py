from __future__ import annotations

from application.core.ports import CoreMaintenance
from application.shared.tasks import TaskQueue


def reap_dead_runs(*, maintenance: CoreMaintenance, task_queue: TaskQueue) -> dict[str, int]:
    """Mark runs whose worker stopped heartbeating as dead, and send again those whose spec
    allows another attempt (the run's claim makes a late original delivery a no-op)."""
    dead = maintenance.mark_dead_runs()
    retried = [run for run in dead if run.retry]
    for run in retried:
        task_queue.resend(run.id)
    return {"dead": len(dead), "requeued": len(retried)}
