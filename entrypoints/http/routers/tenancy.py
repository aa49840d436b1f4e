"""HTTP routes of the tenancy module: sign-in, /me, admin of platforms, companies, vendors,
users, memberships, roles, modules and menus, and the vendor's profile and team."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Response

from application.tenancy.access import Access
from application.tenancy.use_cases.add_membership import AddMembership, add_membership
from application.tenancy.use_cases.build_menu import build_menu
from application.tenancy.use_cases.change_member_role import ChangeMemberRole, change_member_role
from application.tenancy.use_cases.change_password import ChangePassword, change_password
from application.tenancy.use_cases.create_company import CreateCompany, create_company
from application.tenancy.use_cases.create_platform import CreatePlatform, create_platform
from application.tenancy.use_cases.create_user import CreateUser, create_user
from application.tenancy.use_cases.create_vendor import CreateVendor, create_vendor
from application.tenancy.use_cases.get_me import get_me
from application.tenancy.use_cases.get_platform import get_platform
from application.tenancy.use_cases.get_vendor import get_vendor
from application.tenancy.use_cases.invite_member import InviteMember, invite_member
from application.tenancy.use_cases.list_companies import list_companies
from application.tenancy.use_cases.list_memberships import list_memberships
from application.tenancy.use_cases.list_module_states import list_module_states
from application.tenancy.use_cases.list_platforms import list_platforms
from application.tenancy.use_cases.list_roles import list_roles
from application.tenancy.use_cases.list_team import list_team
from application.tenancy.use_cases.list_users import list_users
from application.tenancy.use_cases.list_vendors import list_vendors
from application.tenancy.use_cases.login import Login, login
from application.tenancy.use_cases.logout import Logout, logout
from application.tenancy.use_cases.refresh_session import RefreshSession, refresh_session
from application.tenancy.use_cases.remove_member import RemoveMember, remove_member
from application.tenancy.use_cases.remove_membership import RemoveMembership, remove_membership
from application.tenancy.use_cases.request_password_reset import RequestPasswordReset, request_password_reset
from application.tenancy.use_cases.reset_password import ResetPassword, reset_password
from application.tenancy.use_cases.set_module_enabled import (
    SetModuleEnabled,
    preview_disable,
    set_module_enabled,
)
from application.tenancy.use_cases.set_role_permissions import SetRolePermissions, set_role_permissions
from application.tenancy.use_cases.set_vendor_status import SetVendorStatus, set_vendor_status
from application.tenancy.use_cases.update_company import UpdateCompany, update_company
from application.tenancy.use_cases.update_platform import UpdatePlatform, update_platform
from application.tenancy.use_cases.update_user import UpdateUser, update_user
from application.tenancy.use_cases.update_vendor_profile import UpdateVendorProfile, update_vendor_profile
from contracts.tenancy.dto import (
    ChangePasswordIn,
    CompanyIn,
    CompanyPatch,
    CompanyView,
    DisablePreview,
    InviteIn,
    LoginIn,
    MembershipIn,
    MembershipView,
    MenuEntry,
    MeView,
    ModuleStateView,
    PlatformIn,
    PlatformPatch,
    PlatformView,
    RefreshIn,
    ResetIn,
    ResetRequestIn,
    RoleChangeIn,
    RolePermissionsIn,
    RoleView,
    TeamMemberView,
    TokenPair,
    UserIn,
    UserPatch,
    UserView,
    VendorIn,
    VendorProfileIn,
    VendorView,
)
from entrypoints.bootstrap import Container
from entrypoints.http.app import module_routes
from entrypoints.http.auth import authorize
from entrypoints.http.deps import ContainerDep

router = APIRouter(tags=["tenancy"])

Authenticated = Annotated[Access, authorize(None)]
PlatformsView = Annotated[Access, authorize("tenancy.platforms.view")]
PlatformsManage = Annotated[Access, authorize("tenancy.platforms.manage")]
VendorsView = Annotated[Access, authorize("tenancy.vendors.view")]
VendorsManage = Annotated[Access, authorize("tenancy.vendors.manage")]
UsersView = Annotated[Access, authorize("tenancy.users.view")]
UsersManage = Annotated[Access, authorize("tenancy.users.manage")]
RolesManage = Annotated[Access, authorize("tenancy.roles.manage")]
ModulesView = Annotated[Access, authorize("tenancy.modules.view")]
ModulesManage = Annotated[Access, authorize("tenancy.modules.manage")]
ProfileView = Annotated[Access, authorize("tenancy.profile.view")]
ProfileManage = Annotated[Access, authorize("tenancy.profile.manage")]
TeamView = Annotated[Access, authorize("tenancy.team.view")]
TeamManage = Annotated[Access, authorize("tenancy.team.manage")]

ADMIN = "/api/v1/admin"
PLATFORM = f"{ADMIN}/platforms/{{platform_id}}"
VENDOR = "/api/v1/vendor/{vendor_id}"


def _svc(container: Container):  # type: ignore[no-untyped-def]
    return container.module_services("tenancy")


def _uow(container: Container):  # type: ignore[no-untyped-def]
    return container.unit_of_work("tenancy")


def _config(container: Container):  # type: ignore[no-untyped-def]
    return container.configuration.module("tenancy")


# ------------------------------------------------------------------------ sign-in
@router.post("/api/v1/auth/login", response_model=TokenPair)
def login_route(body: LoginIn, container: ContainerDep) -> TokenPair:
    """Email and password: a short-lived access token and a rotating refresh token."""
    return login(Login(email=body.email, password=body.password.get_secret_value()), uow=_uow(container),
                 clock=container.clock, hasher=_svc(container).hasher, tokens=_svc(container).tokens,
                 config=_config(container))


@router.post("/api/v1/auth/refresh", response_model=TokenPair)
def refresh_route(body: RefreshIn, container: ContainerDep) -> TokenPair:
    """Spend a refresh token for a new pair; reusing a spent one revokes its whole session."""
    return refresh_session(RefreshSession(refresh_token=body.refresh_token.get_secret_value()),
                           uow=_uow(container), clock=container.clock, tokens=_svc(container).tokens,
                           config=_config(container))


@router.post("/api/v1/auth/logout", status_code=204)
def logout_route(body: RefreshIn, container: ContainerDep) -> Response:
    logout(Logout(refresh_token=body.refresh_token.get_secret_value()), uow=_uow(container), clock=container.clock)
    return Response(status_code=204)


@router.post("/api/v1/auth/password", status_code=204)
def change_password_route(body: ChangePasswordIn, access: Authenticated, container: ContainerDep) -> Response:
    """Change the signed-in user's password; every session of the user ends."""
    change_password(ChangePassword(user_id=access.user_id, current_password=body.current_password.get_secret_value(),
                                   new_password=body.new_password.get_secret_value()),
                    uow=_uow(container), clock=container.clock, hasher=_svc(container).hasher,
                    config=_config(container))
    return Response(status_code=204)


@router.post("/api/v1/auth/password-reset/request", status_code=202)
def reset_request_route(body: ResetRequestIn, container: ContainerDep) -> dict[str, str]:
    """Mail a reset token if the address has an account. The answer is the same either way."""
    request_password_reset(RequestPasswordReset(email=body.email), uow=_uow(container), clock=container.clock,
                           mailer=_svc(container).mailer, hasher=_svc(container).hasher, config=_config(container))
    return {"status": "if the address has an account, a reset email is on its way"}


@router.post("/api/v1/auth/password-reset", status_code=204)
def reset_route(body: ResetIn, container: ContainerDep) -> Response:
    reset_password(ResetPassword(token=body.token.get_secret_value(), new_password=body.new_password.get_secret_value()),
                   uow=_uow(container), clock=container.clock, hasher=_svc(container).hasher, config=_config(container))
    return Response(status_code=204)


@router.get("/api/v1/me", response_model=MeView)
def me(access: Authenticated, container: ContainerDep) -> MeView:
    """The signed-in user, memberships and the permissions each grants."""
    return get_me(access.user_id, uow=_uow(container), all_permissions=container.registry.permissions)


# ---------------------------------------------------------------------- platforms
@router.get(f"{ADMIN}/platforms", response_model=list[PlatformView])
def platforms(access: Authenticated, container: ContainerDep) -> list[PlatformView]:
    """Super admins: every platform; platform admins: their own."""
    return list_platforms(access, uow=_uow(container))


@router.post(f"{ADMIN}/platforms", response_model=PlatformView, status_code=201)
def create_platform_route(body: PlatformIn, access: PlatformsManage, container: ContainerDep) -> PlatformView:
    return create_platform(CreatePlatform(data=body, access=access), uow=_uow(container), clock=container.clock,
                           registry=container.registry)


@router.get(PLATFORM, response_model=PlatformView)
def platform(platform_id: int, _: PlatformsView, container: ContainerDep) -> PlatformView:
    return get_platform(platform_id, uow=_uow(container))


@router.patch(PLATFORM, response_model=PlatformView)
def update_platform_route(platform_id: int, body: PlatformPatch, access: PlatformsManage,
                          container: ContainerDep) -> PlatformView:
    return update_platform(UpdatePlatform(platform_id=platform_id, data=body, access=access), uow=_uow(container),
                           clock=container.clock)


@router.patch(f"{PLATFORM}/companies/{{company_id}}", response_model=CompanyView)
def update_company_route(platform_id: int, company_id: int, body: CompanyPatch, access: VendorsManage,
                         container: ContainerDep) -> CompanyView:
    return update_company(UpdateCompany(platform_id=platform_id, company_id=company_id, data=body, access=access),
                          uow=_uow(container), clock=container.clock)


@router.patch(f"{PLATFORM}/vendors/{{vendor_id}}", response_model=VendorView)
def update_vendor_route(platform_id: int, vendor_id: int, body: VendorProfileIn, access: VendorsManage,
                        container: ContainerDep) -> VendorView:
    return update_vendor_profile(UpdateVendorProfile(vendor_id=vendor_id, data=body, access=access),
                                 uow=_uow(container), clock=container.clock)


@router.patch(f"{ADMIN}/users/{{user_id}}", response_model=UserView)
def update_user_route(user_id: int, body: UserPatch, access: UsersManage, container: ContainerDep) -> UserView:
    """Rename, change language, or (de)activate a user (super admins); deactivation ends sessions."""
    return update_user(UpdateUser(user_id=user_id, data=body, access=access), uow=_uow(container),
                       clock=container.clock)


@router.get(f"{PLATFORM}/companies", response_model=list[CompanyView])
def companies(platform_id: int, _: VendorsView, container: ContainerDep) -> list[CompanyView]:
    return list_companies(platform_id, uow=_uow(container))


@router.post(f"{PLATFORM}/companies", response_model=CompanyView, status_code=201)
def create_company_route(platform_id: int, body: CompanyIn, access: VendorsManage, container: ContainerDep) -> CompanyView:
    return create_company(CreateCompany(platform_id=platform_id, data=body, access=access), uow=_uow(container),
                          clock=container.clock)


# ------------------------------------------------------------------------ vendors
@router.get(f"{PLATFORM}/vendors", response_model=list[VendorView])
def vendors(platform_id: int, _: VendorsView, container: ContainerDep) -> list[VendorView]:
    return list_vendors(platform_id, uow=_uow(container))


@router.post(f"{PLATFORM}/vendors", response_model=VendorView, status_code=201)
def create_vendor_route(platform_id: int, body: VendorIn, access: VendorsManage, container: ContainerDep) -> VendorView:
    return create_vendor(CreateVendor(platform_id=platform_id, data=body, access=access), uow=_uow(container),
                         clock=container.clock)


@router.get(f"{PLATFORM}/vendors/{{vendor_id}}", response_model=VendorView)
def vendor(platform_id: int, vendor_id: int, _: VendorsView, container: ContainerDep) -> VendorView:
    return get_vendor(platform_id, vendor_id, uow=_uow(container))


@router.post(f"{PLATFORM}/vendors/{{vendor_id}}/{{action}}", response_model=VendorView)
def vendor_status(platform_id: int, vendor_id: int, action: Literal["suspend", "reactivate", "close"],
                  access: VendorsManage, container: ContainerDep) -> VendorView:
    """Suspend, reactivate or close (final; data kept) a vendor."""
    status = {"suspend": "suspended", "reactivate": "active", "close": "closed"}[action]
    return set_vendor_status(SetVendorStatus(platform_id=platform_id, vendor_id=vendor_id, status=status,
                                             access=access), uow=_uow(container), clock=container.clock)


# -------------------------------------------------------------------------- users
@router.get(f"{ADMIN}/users", response_model=list[UserView])
def users(access: UsersView, container: ContainerDep) -> list[UserView]:
    """Every user (super admins)."""
    return list_users(access, uow=_uow(container))


@router.post(f"{ADMIN}/users", response_model=UserView, status_code=201)
def create_user_route(body: UserIn, access: UsersManage, container: ContainerDep) -> UserView:
    return create_user(CreateUser(data=body, access=access), uow=_uow(container), clock=container.clock,
                       hasher=_svc(container).hasher, config=_config(container))


@router.get(f"{PLATFORM}/users", response_model=list[UserView])
def platform_users(platform_id: int, access: UsersView, container: ContainerDep) -> list[UserView]:
    """The users with a membership on the platform."""
    return list_users(access, uow=_uow(container), platform_id=platform_id)


@router.post(f"{PLATFORM}/users", response_model=UserView, status_code=201)
def create_platform_user(platform_id: int, body: UserIn, access: UsersManage, container: ContainerDep) -> UserView:
    """A user account (give it a membership next); platform admins cannot create super admins."""
    return create_user_route(body, access, container)


@router.get(f"{PLATFORM}/memberships", response_model=list[MembershipView])
def memberships(platform_id: int, _: UsersView, container: ContainerDep) -> list[MembershipView]:
    return list_memberships(platform_id, uow=_uow(container))


@router.post(f"{PLATFORM}/memberships", response_model=MembershipView, status_code=201)
def add_membership_route(platform_id: int, body: MembershipIn, access: UsersManage,
                         container: ContainerDep) -> MembershipView:
    return add_membership(AddMembership(platform_id=platform_id, data=body, access=access), uow=_uow(container),
                          clock=container.clock)


@router.delete(f"{PLATFORM}/memberships/{{membership_id}}", status_code=204)
def remove_membership_route(platform_id: int, membership_id: int, access: UsersManage,
                            container: ContainerDep) -> Response:
    remove_membership(RemoveMembership(platform_id=platform_id, membership_id=membership_id, access=access),
                      uow=_uow(container), clock=container.clock)
    return Response(status_code=204)


@router.get(f"{PLATFORM}/roles", response_model=list[RoleView])
def roles(platform_id: int, _: UsersView, container: ContainerDep) -> list[RoleView]:
    return list_roles(platform_id, uow=_uow(container))


@router.put(f"{PLATFORM}/roles/{{name}}", response_model=RoleView)
def set_role(platform_id: int, name: Literal["platform_admin", "owner", "manager", "staff"],
             body: RolePermissionsIn, access: RolesManage, container: ContainerDep) -> RoleView:
    return set_role_permissions(SetRolePermissions(platform_id=platform_id, role=name,
                                                   permissions=tuple(body.permissions), access=access),
                                uow=_uow(container), clock=container.clock, registry=container.registry)


# ------------------------------------------------------------------------ modules
@router.get(f"{PLATFORM}/modules", response_model=list[ModuleStateView])
def modules(platform_id: int, access: ModulesView, container: ContainerDep) -> list[ModuleStateView]:
    return list_module_states(platform_id, access, uow=_uow(container), registry=container.registry)


@router.get(f"{PLATFORM}/modules/{{module}}/disable-preview", response_model=DisablePreview)
def disable_preview(platform_id: int, module: str, access: ModulesView, container: ContainerDep) -> DisablePreview:
    """What disabling would affect (dependents, schedules, menus, routes); changes nothing."""
    return preview_disable(SetModuleEnabled(platform_id=platform_id, module=module, enabled=False, access=access),
                           uow=_uow(container), registry=container.registry, routes=module_routes(container))


@router.post(f"{PLATFORM}/modules/{{module}}/{{action}}", response_model=ModuleStateView)
def switch_module(platform_id: int, module: str, action: Literal["enable", "disable"], access: ModulesManage,
                  container: ContainerDep) -> ModuleStateView:
    return set_module_enabled(
        SetModuleEnabled(platform_id=platform_id, module=module, enabled=action == "enable", access=access),
        uow=_uow(container), clock=container.clock, registry=container.registry,
        context=container.module_context(module) if module in container.registry else None,
    )


# -------------------------------------------------------------------------- menus
@router.get(f"{ADMIN}/menu", response_model=list[MenuEntry])
def admin_menu(access: Authenticated, container: ContainerDep,
               lang: Literal["en", "fr", "de", "lb"] | None = None) -> list[MenuEntry]:
    """The admin menu for the caller (super admin: every module; platform admin: the modules on
    for their platform); ``lang`` defaults to the user's language."""
    return build_menu("admin", access, lang, uow=_uow(container), registry=container.registry)


@router.get(f"{VENDOR}/menu", response_model=list[MenuEntry])
def vendor_menu(vendor_id: int, access: ProfileView, container: ContainerDep,
                lang: Literal["en", "fr", "de", "lb"] | None = None) -> list[MenuEntry]:
    return build_menu("vendor", access, lang, uow=_uow(container), registry=container.registry)


# ------------------------------------------------------------------ vendor side
@router.get(f"{VENDOR}/profile", response_model=VendorView)
def profile(vendor_id: int, access: ProfileView, container: ContainerDep) -> VendorView:
    return get_vendor(access.platform_id, vendor_id, uow=_uow(container))  # type: ignore[arg-type]


@router.patch(f"{VENDOR}/profile", response_model=VendorView)
def update_profile(vendor_id: int, body: VendorProfileIn, access: ProfileManage, container: ContainerDep) -> VendorView:
    return update_vendor_profile(UpdateVendorProfile(vendor_id=vendor_id, data=body, access=access),
                                 uow=_uow(container), clock=container.clock)


@router.get(f"{VENDOR}/team", response_model=list[TeamMemberView])
def team(vendor_id: int, _: TeamView, container: ContainerDep) -> list[TeamMemberView]:
    return list_team(vendor_id, uow=_uow(container))


@router.post(f"{VENDOR}/team", response_model=TeamMemberView, status_code=201)
def invite(vendor_id: int, body: InviteIn, access: TeamManage, container: ContainerDep) -> TeamMemberView:
    """Invite by email with a role; a new address gets an account and a set-password email."""
    return invite_member(InviteMember(vendor_id=vendor_id, data=body, access=access), uow=_uow(container),
                         clock=container.clock, mailer=_svc(container).mailer, hasher=_svc(container).hasher,
                         config=_config(container))


@router.patch(f"{VENDOR}/team/{{membership_id}}", response_model=TeamMemberView)
def change_role(vendor_id: int, membership_id: int, body: RoleChangeIn, access: TeamManage,
                container: ContainerDep) -> TeamMemberView:
    return change_member_role(ChangeMemberRole(vendor_id=vendor_id, membership_id=membership_id, role=body.role,
                                               access=access), uow=_uow(container), clock=container.clock)


@router.delete(f"{VENDOR}/team/{{membership_id}}", status_code=204)
def remove(vendor_id: int, membership_id: int, access: TeamManage, container: ContainerDep) -> Response:
    """Remove a member; the last owner cannot be removed."""
    remove_member(RemoveMember(vendor_id=vendor_id, membership_id=membership_id, access=access),
                  uow=_uow(container), clock=container.clock)
    return Response(status_code=204)

