"""Two platforms, their vendors and users, built through the real use cases."""

from __future__ import annotations

import attrs
from fastapi.testclient import TestClient

from application.tenancy.use_cases.add_membership import AddMembership, add_membership
from application.tenancy.use_cases.create_company import CreateCompany, create_company
from application.tenancy.use_cases.create_platform import CreatePlatform, create_platform
from application.tenancy.use_cases.create_vendor import CreateVendor, create_vendor
from application.tenancy.use_cases.set_module_enabled import SetModuleEnabled, set_module_enabled
from contracts.tenancy.dto import CompanyIn, MembershipIn, PlatformIn, VendorIn
from entrypoints.bootstrap import Container
from tests.fakes.accounts import OPERATOR, headers_for, make_user


@attrs.define
class World:
    p1: int
    p2: int
    c1: int
    c2: int
    v1a: int
    v1b: int
    v2a: int
    users: dict[str, int]
    headers: dict[str, dict[str, str]]


def switch_module(c: Container, platform: int, module: str, on: bool = True) -> None:
    """Switch an optional module on (or off) for a platform, as its operator."""
    set_module_enabled(SetModuleEnabled(platform_id=platform, module=module, enabled=on, access=OPERATOR),
                       uow=c.unit_of_work("tenancy"), clock=c.clock, registry=c.registry)


def limit_plan(c: Container, tier: str = "essential", **limits: int) -> None:
    """Give billing's ``tier`` (the world's vendors' plan) these limits, e.g. ``products=3``."""
    with c.unit_of_work("billing") as uow:
        uow.tiers.get(tier).limits = limits
        uow.commit()


def build_world(c: Container, client: TestClient | None) -> World:
    uow = lambda: c.unit_of_work("tenancy")  # noqa: E731
    platforms = [
        create_platform(CreatePlatform(data=PlatformIn(code=code, name=code.upper()), access=OPERATOR),
                        uow=uow(), clock=c.clock, registry=c.registry).id
        for code in ("p-one", "p-two")
    ]
    companies = [
        create_company(CreateCompany(platform_id=p, data=CompanyIn(legal_name=f"Company {i}"), access=OPERATOR),
                       uow=uow(), clock=c.clock).id
        for i, p in enumerate(platforms, 1)
    ]

    def vendor(platform: int, company: int, code: str) -> int:
        return create_vendor(CreateVendor(platform_id=platform, access=OPERATOR,
                                          data=VendorIn(company_id=company, code=code, name=f"Vendor {code[2:]}")),
                             uow=uow(), clock=c.clock).id

    v1a, v1b = vendor(platforms[0], companies[0], "v-1a"), vendor(platforms[0], companies[0], "v-1b")
    v2a = vendor(platforms[1], companies[1], "v-2a")
    people = {
        "super": (True, None, None, None),
        "admin_p1": (False, platforms[0], None, "platform_admin"),
        "admin_p2": (False, platforms[1], None, "platform_admin"),
        "owner_1a": (False, platforms[0], v1a, "owner"),
        "staff_1a": (False, platforms[0], v1a, "staff"),
        "owner_1b": (False, platforms[0], v1b, "owner"),
        "owner_2a": (False, platforms[1], v2a, "owner"),
    }
    users: dict[str, int] = {}
    for key, (is_super, platform, vendor_id, role) in people.items():
        users[key] = make_user(c, email_of(key), super_admin=is_super)
        if platform is not None:
            add_membership(AddMembership(platform_id=platform, access=OPERATOR,
                                         data=MembershipIn(user_id=users[key], vendor_id=vendor_id, role=role)),
                           uow=uow(), clock=c.clock)
    headers = {key: headers_for(client, email_of(key)) for key in people} if client is not None else {}
    return World(platforms[0], platforms[1], companies[0], companies[1], v1a, v1b, v2a, users, headers)


def email_of(key: str) -> str:
    return f"{key.replace('_', '-')}@example.lu"
