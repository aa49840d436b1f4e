from __future__ import annotations

from application.shared.modules import ModuleDefinition, ModuleRegistry
from contracts.core.dto import ModuleView, ScheduleView, TaskSpecView


def module_view(d: ModuleDefinition) -> ModuleView:
    return ModuleView(
        code=d.code,
        name=d.name,
        description=d.description,
        classification=d.classification.value,
        requires=list(d.requires),
        permissions=list(d.permissions),
        tasks=[
            TaskSpecView(
                name=f"{d.code}.{t.name}",
                queue=str(t.queue),
                time_limit_seconds=int(t.time_limit.total_seconds()),
                max_retries=t.max_retries,
            )
            for t in d.tasks
        ],
        schedules=[
            ScheduleView(
                task=f"{d.code}.{s.task}",
                cron=s.cron,
                timezone=s.timezone,
                catch_up=s.catch_up.value,
                enabled=s.enabled,
            )
            for s in d.schedules
        ],
    )


def list_modules(*, registry: ModuleRegistry) -> list[ModuleView]:
    """Every module, in dependency order."""
    return [module_view(d) for d in registry]
