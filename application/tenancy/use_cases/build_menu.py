from __future__ import annotations

import attrs

from application.shared.modules import ModuleRegistry
from application.tenancy.access import Access
from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import MenuEntry
from domain.tenancy.model import Role


def build_menu(
    area: str, access: Access, language: str | None, *, uow: TenancyUnitOfWork, registry: ModuleRegistry
) -> list[MenuEntry]:
    """The menu of an area from the modules on for the caller's platform, filtered by the
    caller's permissions, ordered, in ``language`` (else the user's; English when a label is not
    translated). The admin menu: a super admin sees every module; a platform admin sees what is
    on for the (lowest-numbered) platform they administer, with that role's permissions; anyone
    else sees nothing."""
    with uow:
        if language is None:
            language = uow.users.get(access.user_id).language if access.user_id else "en"
        if area == "admin" and not access.is_super_admin:
            if not access.platform_ids:
                return []
            platform_id = min(access.platform_ids)
            permissions = frozenset(uow.roles(platform_id).get(Role.PLATFORM_ADMIN).permissions)
            access = attrs.evolve(access, platform_id=platform_id, permissions=permissions)
        enabled = (uow.modules(access.platform_id).enabled() | registry.always_on
                   if access.platform_id is not None else None)
    items = [
        (m.order, m.key, d.code, m)
        for d in registry
        if enabled is None or d.code in enabled
        for m in d.menus
        if m.area == area and (m.permission is None or access.can(m.permission))
    ]
    return [
        MenuEntry(key=m.key, label=m.label.get(language) or m.label.get("en") or m.key, path=m.path, module=code)
        for _, _, code, m in sorted(items, key=lambda i: (i[0], i[1]))
    ]
