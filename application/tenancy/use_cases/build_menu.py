from __future__ import annotations

from application.shared.modules import CORE, ModuleRegistry
from application.tenancy.access import Access
from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import MenuEntry


def build_menu(
    area: str, access: Access, language: str, *, uow: TenancyUnitOfWork, registry: ModuleRegistry
) -> list[MenuEntry]:
    """The menu of an area from the modules on for the caller's platform, filtered by the
    caller's permissions, ordered, in the caller's language (English when not translated)."""
    enabled: set[str] | None = None
    if access.platform_id is not None:
        with uow:
            enabled = uow.modules(access.platform_id).enabled()
    items = [
        (m.order, m.key, d.code, m)
        for d in registry
        if d.classification is CORE or enabled is None or d.code in enabled
        for m in d.menus
        if m.area == area and (m.permission is None or access.can(m.permission))
    ]
    return [
        MenuEntry(key=m.key, label=m.label.get(language) or m.label.get("en") or m.key, path=m.path, module=code)
        for _, _, code, m in sorted(items, key=lambda i: (i[0], i[1]))
    ]
