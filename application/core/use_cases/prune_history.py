from __future__ import annotations

from datetime import timedelta

from application.core.config import CoreConfig
from application.core.ports import CoreMaintenance
from application.shared.ports import Clock


def prune_history(*, maintenance: CoreMaintenance, config: CoreConfig, clock: Clock) -> dict[str, int]:
    """Delete finished task runs and fired-slot records older than their retention."""
    now = clock.now()
    return maintenance.prune(
        runs_before=now - timedelta(days=config.task_run_retention_days),
        slots_before=now - timedelta(days=config.fired_slot_retention_days),
    )
