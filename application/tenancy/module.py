"""The tenancy module: who may act for which platform and vendor, and which modules are on."""

from __future__ import annotations

from application.shared.modules import CORE, MenuItem, ModuleDefinition
from application.tenancy.config import TenancyConfig

MODULE = ModuleDefinition(
    code="tenancy",
    name="Tenancy",
    description="Platforms, companies, vendors, users, memberships, roles, module enablement.",
    classification=CORE,
    requires=("core",),
    config=TenancyConfig,
    permissions=(
        "tenancy.platforms.view",
        "tenancy.platforms.manage",
        "tenancy.vendors.view",
        "tenancy.vendors.manage",
        "tenancy.users.view",
        "tenancy.users.manage",
        "tenancy.roles.manage",
        "tenancy.modules.view",
        "tenancy.modules.manage",
        "tenancy.profile.view",
        "tenancy.profile.manage",
        "tenancy.team.view",
        "tenancy.team.manage",
    ),
    vendor_permissions=(
        "tenancy.profile.view",
        "tenancy.profile.manage",
        "tenancy.team.view",
        "tenancy.team.manage",
    ),
    menus=(
        MenuItem(area="admin", key="platforms", path="/admin/platforms", order=10,
                 label={"en": "Platforms", "fr": "Plateformes", "de": "Plattformen"},
                 permission="tenancy.platforms.view"),
        MenuItem(area="admin", key="vendors", path="/admin/vendors", order=20,
                 label={"en": "Vendors", "fr": "Vendeurs", "de": "Händler"},
                 permission="tenancy.vendors.view"),
        MenuItem(area="admin", key="users", path="/admin/users", order=30,
                 label={"en": "Users", "fr": "Utilisateurs", "de": "Benutzer"},
                 permission="tenancy.users.view"),
        MenuItem(area="admin", key="modules", path="/admin/modules", order=40,
                 label={"en": "Modules", "fr": "Modules", "de": "Module"},
                 permission="tenancy.modules.view"),
        MenuItem(area="vendor", key="profile", path="/vendor/profile", order=10,
                 label={"en": "Shop profile", "fr": "Profil de la boutique", "de": "Shop-Profil"},
                 permission="tenancy.profile.view"),
        MenuItem(area="vendor", key="team", path="/vendor/team", order=20,
                 label={"en": "Team", "fr": "Équipe", "de": "Team"},
                 permission="tenancy.team.view"),
    ),
)
