"""The core module: platform plumbing every other module builds on."""

from __future__ import annotations

from application.core.config import CoreConfig
from application.core.health import check_plumbing
from application.shared.modules import CORE, MenuItem, ModuleDefinition, ModuleHooks

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
    ),
    hooks=ModuleHooks(health=check_plumbing),
)
