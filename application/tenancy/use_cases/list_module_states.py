from __future__ import annotations

from application.shared.modules import INTERNAL, ModuleRegistry
from application.tenancy.access import Access
from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import ModuleStateView


def list_module_states(
    platform_id: int, access: Access, *, uow: TenancyUnitOfWork, registry: ModuleRegistry
) -> list[ModuleStateView]:
    """Every module and whether it is on for the platform (internal ones: operators only)."""
    with uow:
        enabled = uow.modules(platform_id).enabled() | registry.always_on
    return [
        ModuleStateView(code=d.code, name=d.name, classification=d.classification.value,
                        requires=list(d.requires), enabled=d.code in enabled)
        for d in registry
        if access.is_super_admin or d.classification is not INTERNAL
    ]
