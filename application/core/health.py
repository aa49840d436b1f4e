"""The core module's health hook."""

from __future__ import annotations

from application.shared.context import HealthReport, ModuleContext


def check_plumbing(ctx: ModuleContext) -> HealthReport:
    """Healthy when every plumbing table (task runs, outbox, inbox, scheduler, audit) answers."""
    with ctx.unit_of_work() as uow:
        missing = uow.plumbing.missing_tables()
    if missing:
        return HealthReport(ok=False, detail=f"tables not answering: {', '.join(missing)}")
    return HealthReport(ok=True, detail="plumbing tables answer")
