"""Who is asking, for which tenant, with which permissions."""

from __future__ import annotations

import attrs

from application.shared.modules import ModuleRegistry
from domain.tenancy.model import Role

# Permissions of the vendor roles a platform starts with (each platform may edit its own).
TEAM_MANAGE = "tenancy.team.manage"


def default_roles(registry: ModuleRegistry) -> dict[str, list[str]]:
    vendor = list(registry.vendor_permissions)
    return {
        Role.PLATFORM_ADMIN: list(registry.permissions),
        Role.OWNER: vendor,
        Role.MANAGER: [p for p in vendor if p != TEAM_MANAGE],
        Role.STAFF: [p for p in vendor if p.endswith(".view")],
    }


@attrs.frozen
class Access:
    """The resolved caller: its user, the tenant it acts on, and its permissions there."""

    user_id: int
    email: str
    is_super_admin: bool
    platform_id: int | None = None
    vendor_id: int | None = None
    permissions: frozenset[str] = frozenset()
    platform_ids: frozenset[int] = frozenset()  # platforms the user administers

    @property
    def actor(self) -> str:
        return self.email

    def can(self, permission: str) -> bool:
        return self.is_super_admin or permission in self.permissions
