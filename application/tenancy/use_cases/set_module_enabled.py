from __future__ import annotations

import attrs

from application.shared.context import ModuleContext
from application.shared.modules import CORE, INTERNAL, ModuleRegistry
from application.shared.ports import Clock
from application.tenancy.access import Access
from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import DisablePreview, ModuleStateView
from contracts.tenancy.events import ModuleDisabled, ModuleEnabled
from domain.shared.errors import Conflict, NotFound, PermissionDenied


@attrs.frozen(kw_only=True)
class SetModuleEnabled:
    platform_id: int
    module: str
    enabled: bool
    access: Access


def _check(cmd: SetModuleEnabled, registry: ModuleRegistry) -> None:
    if cmd.module not in registry:
        raise NotFound(f"unknown module '{cmd.module}'")
    definition = registry.get(cmd.module)
    if definition.classification is CORE:
        raise Conflict(f"'{cmd.module}' is a core module: always on", field="module")
    if definition.classification is INTERNAL and not cmd.access.is_super_admin:
        raise PermissionDenied(f"'{cmd.module}' is an internal module: operators only")


def _blocked_by(module: str, enabled: set[str], registry: ModuleRegistry) -> list[str]:
    """The enabled modules that require ``module``: disabling it waits for them."""
    return sorted(d for d in registry.dependents(module) if d in enabled)


def preview_disable(
    cmd: SetModuleEnabled, *, uow: TenancyUnitOfWork, registry: ModuleRegistry, routes: dict[str, list[str]]
) -> DisablePreview:
    """What disabling would affect: enabled dependents (which block it), schedules, menus,
    routes. Changes nothing."""
    _check(cmd, registry)
    with uow:
        enabled = uow.modules(cmd.platform_id).enabled()
    definition = registry.get(cmd.module)
    blocked_by = _blocked_by(cmd.module, enabled, registry)
    return DisablePreview(
        module=cmd.module, platform_id=cmd.platform_id, allowed=not blocked_by, blocked_by=blocked_by,
        schedules=[f"{cmd.module}.{s.task} ({s.cron})" for s in definition.schedules],
        menus=[f"{m.area}:{m.path}" for m in definition.menus],
        routes=routes.get(cmd.module, []),
    )


def set_module_enabled(
    cmd: SetModuleEnabled, *, uow: TenancyUnitOfWork, clock: Clock, registry: ModuleRegistry,
    context: ModuleContext | None = None,
) -> ModuleStateView:
    """Enable (what it requires must be on) or disable (refused while an enabled module
    requires it). Data is kept. Runs the module's hook, publishes ModuleEnabled/ModuleDisabled
    and writes the audit log, all or nothing."""
    _check(cmd, registry)
    definition = registry.get(cmd.module)
    now = clock.now()
    with uow:
        states = uow.modules(cmd.platform_id)
        enabled = states.enabled() | registry.always_on
        if cmd.enabled:
            missing = sorted(r for r in registry.requirements(cmd.module) if r not in enabled)
            if missing:
                raise Conflict(f"enable {', '.join(missing)} first: '{cmd.module}' requires them",
                               field="module", missing=", ".join(missing))
        else:
            blocked_by = _blocked_by(cmd.module, enabled, registry)
            if blocked_by:
                raise Conflict(f"disable {', '.join(blocked_by)} first: they require '{cmd.module}'",
                               field="module", blocked_by=", ".join(blocked_by))
        if (cmd.module in enabled) != cmd.enabled:
            states.set(cmd.module, cmd.enabled, now, cmd.access.actor)
            event_class = ModuleEnabled if cmd.enabled else ModuleDisabled
            uow.publish(event_class(occurred_at=now, platform_id=cmd.platform_id, module=cmd.module,
                                    actor=cmd.access.actor))
            uow.audit(f"module.{'enabled' if cmd.enabled else 'disabled'}", actor=cmd.access.actor, at=now,
                      target_type="module", target_id=cmd.module, platform_id=cmd.platform_id)
            hook = definition.hooks.on_enable if cmd.enabled else definition.hooks.on_disable
            if hook is not None:
                hook(cmd.platform_id, context)
        uow.commit()
    return ModuleStateView(code=definition.code, name=definition.name,
                           classification=definition.classification.value,
                           requires=list(definition.requires), enabled=cmd.enabled)
