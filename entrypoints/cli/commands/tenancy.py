"""``wizamart tenancy ...``: platforms, vendors and users from the command line (as operator)."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from pydantic import SecretStr
from rich.table import Table

from application.tenancy.access import Access
from application.tenancy.use_cases.create_company import CreateCompany, create_company
from application.tenancy.use_cases.create_platform import CreatePlatform, create_platform
from application.tenancy.use_cases.create_user import CreateUser, create_user
from application.tenancy.use_cases.create_vendor import CreateVendor, create_vendor
from application.tenancy.use_cases.find_by_code import platform_id_by_code, vendor_id_by_code
from application.tenancy.use_cases.list_companies import list_companies
from application.tenancy.use_cases.list_platforms import list_platforms
from application.tenancy.use_cases.list_users import list_users
from application.tenancy.use_cases.list_vendors import list_vendors
from application.tenancy.use_cases.set_vendor_status import SetVendorStatus, set_vendor_status
from contracts.tenancy.dto import CompanyIn, PlatformIn, UserIn, VendorIn
from entrypoints.bootstrap import Container
from entrypoints.cli.context import console, container

app = typer.Typer(help="Platforms, vendors and users.", no_args_is_help=True)
platforms_app = typer.Typer(help="Platforms.", no_args_is_help=True)
vendors_app = typer.Typer(help="Vendors.", no_args_is_help=True)
users_app = typer.Typer(help="Users.", no_args_is_help=True)
app.add_typer(platforms_app, name="platforms")
app.add_typer(vendors_app, name="vendors")
app.add_typer(users_app, name="users")


def operator() -> Access:
    """The CLI acts as the operator (it runs with the database credentials)."""
    return Access(user_id=0, email=f"cli:{getpass.getuser()}", is_super_admin=True)


PlatformOption = Annotated[str, typer.Option(help="Platform code")]
VendorOption = Annotated[str, typer.Option(help="Vendor code")]


def platform_id(c: Container, code: str) -> int:
    return platform_id_by_code(code, uow=c.unit_of_work("tenancy", read_only=True))


def vendor_id(c: Container, platform: int, code: str) -> int:
    """The id of the vendor with ``code`` on ``platform`` (an id: look the platform up first)."""
    return vendor_id_by_code(platform, code, uow=c.unit_of_work("tenancy", read_only=True))


def vendor_of(c: Container, platform: str, vendor: str) -> tuple[int, int]:
    """(platform id, vendor id) from their codes."""
    pid = platform_id(c, platform)
    return pid, vendor_id(c, pid, vendor)


@platforms_app.command("create")
def platforms_create(
    code: str,
    name: Annotated[str, typer.Option(help="Display name")],
    languages: Annotated[str, typer.Option(help="Comma-separated: en,fr,de,lb")] = "en,fr,de",
    default_language: Annotated[str, typer.Option()] = "en",
    hostname: Annotated[list[str] | None, typer.Option(help="Repeat for several")] = None,
) -> None:
    """Create a platform (with its default roles)."""
    c = container()
    data = PlatformIn(code=code, name=name, languages=languages.split(","), default_language=default_language,
                      hostnames=hostname or [])
    view = create_platform(CreatePlatform(data=data, access=operator()), uow=c.unit_of_work("tenancy"),
                           clock=c.clock, registry=c.registry)
    console.print(f"platform {view.code} created (id {view.id})")


@platforms_app.command("list")
def platforms_list() -> None:
    c = container()
    table = Table("id", "code", "name", "languages", "status")
    for p in list_platforms(operator(), uow=c.unit_of_work("tenancy")):
        table.add_row(str(p.id), p.code, p.name, ",".join(p.languages), p.status)
    console.print(table)


@vendors_app.command("create")
def vendors_create(
    code: str,
    name: Annotated[str, typer.Option(help="Shop name")],
    platform: PlatformOption,
    company: Annotated[str, typer.Option(help="Legal name of the company (created if new)")],
    vat_id: Annotated[str | None, typer.Option(help="EU VAT id of a new company")] = None,
    languages: Annotated[str, typer.Option(help="Comma-separated: en,fr,de,lb")] = "en",
) -> None:
    """Create a vendor (and its company when the platform has none of that name)."""
    c = container()
    pid = platform_id(c, platform)
    companies = list_companies(pid, uow=c.unit_of_work("tenancy"))
    existing = next((x.id for x in companies if x.legal_name == company), None)
    if existing is None:
        existing = create_company(CreateCompany(platform_id=pid, data=CompanyIn(legal_name=company, vat_id=vat_id),
                                                access=operator()), uow=c.unit_of_work("tenancy"), clock=c.clock).id
    view = create_vendor(CreateVendor(platform_id=pid, access=operator(), data=VendorIn(
        company_id=existing, code=code, name=name, languages=languages.split(","))),
        uow=c.unit_of_work("tenancy"), clock=c.clock)
    console.print(f"vendor {view.code} created (id {view.id}) on {platform}")


@vendors_app.command("list")
def vendors_list(platform: PlatformOption) -> None:
    c = container()
    table = Table("id", "code", "name", "company", "status")
    for v in list_vendors(platform_id(c, platform), uow=c.unit_of_work("tenancy")):
        table.add_row(str(v.id), v.code, v.name, str(v.company_id), v.status)
    console.print(table)


@vendors_app.command("suspend")
def vendors_suspend(code: str, platform: PlatformOption) -> None:
    """Suspend a vendor."""
    c = container()
    pid = platform_id(c, platform)
    view = set_vendor_status(SetVendorStatus(platform_id=pid, vendor_id=vendor_id(c, pid, code), status="suspended",
                                             access=operator()), uow=c.unit_of_work("tenancy"), clock=c.clock)
    console.print(f"vendor {view.code}: {view.status}")


@users_app.command("create-admin")
def users_create_admin(
    email: str,
    name: Annotated[str, typer.Option()],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True,
                                          envvar="WIZAMART_NEW_ADMIN_PASSWORD")],
) -> None:
    """Create a super admin (the password is prompted, or read from WIZAMART_NEW_ADMIN_PASSWORD)."""
    c = container()
    view = create_user(CreateUser(data=UserIn(email=email, name=name, password=SecretStr(password),
                                              is_super_admin=True), access=operator()),
                       uow=c.unit_of_work("tenancy"), clock=c.clock,
                       hasher=c.module_services("tenancy").hasher, config=c.configuration.module("tenancy"))
    console.print(f"super admin {view.email} created (id {view.id})")


@users_app.command("list")
def users_list(platform: Annotated[str | None, typer.Option(help="Only this platform's users")] = None) -> None:
    c = container()
    pid = platform_id(c, platform) if platform else None
    table = Table("id", "email", "name", "super admin", "active")
    for u in list_users(operator(), uow=c.unit_of_work("tenancy"), platform_id=pid):
        table.add_row(str(u.id), u.email, u.name, "yes" if u.is_super_admin else "", "yes" if u.active else "no")
    console.print(table)
