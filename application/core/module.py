"""The core module: platform plumbing every other module builds on."""

from __future__ import annotations

from datetime import timedelta

from application.core import tasks
from application.core.config import CoreConfig
from application.core.health import check_plumbing
from application.shared.modules import (
    CORE,
    CatchUp,
    MenuItem,
    ModuleDefinition,
    ModuleHooks,
    Queue,
    Schedule,
    TaskSpec,
)

MODULE = ModuleDefinition(
    code="core",
    name="Core",
    description="Platform plumbing: task runs, outbox/inbox, scheduler state, audit log, settings.",
    classification=CORE,
    config=CoreConfig,
    permissions=("core.audit.view", "core.tasks.view", "core.tasks.manage"),
    menus=(
        MenuItem(
            area="admin",
            key="audit-log",
            label={"en": "Audit log", "fr": "Journal d'audit", "de": "Prüfprotokoll"},
            path="/admin/audit-log",
            permission="core.audit.view",
            order=900,
        ),
        MenuItem(
            area="admin",
            key="background-tasks",
            label={"en": "Background tasks", "fr": "Tâches de fond", "de": "Hintergrundaufgaben"},
            path="/admin/tasks",
            permission="core.tasks.view",
            order=910,
        ),
    ),
    tasks=(
        TaskSpec("relay_outbox", tasks.relay_outbox, queue=Queue.DEFAULT,
                 time_limit=timedelta(minutes=5), max_retries=0),
        TaskSpec("reap_dead_runs", tasks.reap_dead_runs, queue=Queue.SCHEDULED,
                 time_limit=timedelta(minutes=1), max_retries=0),
        TaskSpec("prune_history", tasks.prune_history, queue=Queue.SCHEDULED,
                 time_limit=timedelta(minutes=10), max_retries=2),
    ),
    schedules=(
        # Safety net: events are also relayed right after each commit that publishes some.
        Schedule("relay_outbox", cron="* * * * *", catch_up=CatchUp.NONE),
        Schedule("reap_dead_runs", cron="* * * * *", catch_up=CatchUp.NONE),
        Schedule("prune_history", cron="17 3 * * *"),
    ),
    hooks=ModuleHooks(health=check_plumbing),
)
