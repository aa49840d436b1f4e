from __future__ import annotations

import secrets

from application.shared.modules import OPTIONAL, ModuleRegistry
from application.shared.ports import Clock
from application.tenancy.access import Access, default_roles
from application.tenancy.ports import PasswordHasher, TenancyUnitOfWork
from contracts.tenancy.events import VendorCreated
from domain.tenancy.model import Company, Membership, Platform, Role, RoleDefinition, User, Vendor

SYSTEM = Access(user_id=0, email="system:demo-seed", is_super_admin=True)

DEMO_USERS = (
    # email, name, super admin, (role, vendor code or None)
    ("admin@demo.wizamart.lu", "Demo Super Admin", True, None),
    ("platform@demo.wizamart.lu", "Demo Platform Admin", False, (Role.PLATFORM_ADMIN, None)),
    ("owner@boulangerie.demo.lu", "Demo Owner (Boulangerie)", False, (Role.OWNER, "boulangerie")),
    ("owner@velo.demo.lu", "Demo Owner (Vélo)", False, (Role.OWNER, "velo")),
)


def seed_demo(
    *, uow: TenancyUnitOfWork, clock: Clock, hasher: PasswordHasher, registry: ModuleRegistry
) -> dict[str, str]:
    """Create the demo platform, company, two vendors and users, once. Returns the passwords of
    the users created by this call (empty when everything existed): they are shown only once."""
    now = clock.now()
    created: dict[str, str] = {}
    with uow:
        platform = uow.platforms.by_code("demo")
        if platform is None:
            platform = Platform(code="demo", name="Wizamart Demo", hostnames=["localhost"],
                                default_language="fr", languages=["en", "fr", "de", "lb"], created_at=now)
            uow.platforms.add(platform)
            uow.flush()
            for name, permissions in default_roles(registry).items():
                uow.roles(platform.id).add(RoleDefinition(platform_id=platform.id, name=name, permissions=permissions))
        companies = uow.companies(platform.id)
        company = next((c for c in companies.list() if c.legal_name == "Demo Commerce S.à r.l."), None)
        if company is None:
            company = Company(platform_id=platform.id, legal_name="Demo Commerce S.à r.l.",
                              address={"street": "1, rue du Marché", "city": "Luxembourg", "zip": "L-1728"},
                              vat_id="LU26375245", rcs_number="B123456", created_at=now)
            companies.add(company)
            uow.flush()
        vendors = uow.vendors(platform.id)
        by_code = {}
        for code, name in (("boulangerie", "Boulangerie du Marché"), ("velo", "Vélo Luxembourg")):
            vendor = vendors.by_code(code)
            if vendor is None:
                vendor = Vendor(platform_id=platform.id, company_id=company.id, code=code, name=name,
                                letzshop_slug=code, languages=["fr", "en"], created_at=now)
                vendors.add(vendor)
                uow.flush()
                uow.publish(VendorCreated(occurred_at=now, platform_id=platform.id, vendor_id=vendor.id,
                                          vendor_code=code, company_id=company.id))
            by_code[code] = vendor
        for email, name, is_super, membership in DEMO_USERS:
            user = uow.users.by_email(email)
            if user is None:
                password = secrets.token_urlsafe(12)
                user = User(email=email, name=name, is_super_admin=is_super, password_hash=hasher.hash(password),
                            created_at=now)
                uow.users.add(user)
                uow.flush()
                created[email] = password
            if membership is not None:
                role, vendor_code = membership
                vendor_id = by_code[vendor_code].id if vendor_code else None
                members = uow.memberships(platform.id)
                if not any(m.vendor_id == vendor_id for m in members.of_user(user.id)):
                    members.add(Membership(user_id=user.id, platform_id=platform.id, vendor_id=vendor_id,
                                           role=role, created_at=now))
        states = uow.modules(platform.id)
        if not states.enabled():
            for d in registry:
                if d.classification is OPTIONAL:
                    states.set(d.code, True, now, SYSTEM.actor)
        uow.commit()
    return created
