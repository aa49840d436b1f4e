"""What the tenancy module shows other modules and the outside world."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

Language = Literal["en", "fr", "de", "lb"]


class _View(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class PlatformView(_View):
    id: int
    code: str
    name: str
    hostnames: list[str]
    default_language: str
    languages: list[str]
    status: str
    created_at: datetime


class CompanyView(_View):
    id: int
    platform_id: int
    legal_name: str
    address: dict[str, Any]
    country: str
    vat_id: str | None
    rcs_number: str | None
    contact_email: str | None


class VendorView(_View):
    id: int
    platform_id: int
    company_id: int
    code: str
    name: str
    letzshop_slug: str | None
    languages: list[str]
    status: str
    created_at: datetime


class UserView(_View):
    id: int
    email: str
    name: str
    language: str
    active: bool
    is_super_admin: bool


class MembershipView(_View):
    id: int
    user_id: int
    platform_id: int
    vendor_id: int | None
    role: str


class TeamMemberView(BaseModel):
    membership_id: int
    user_id: int
    email: str
    name: str
    role: str


class RoleView(_View):
    name: str
    permissions: list[str]


class MeView(BaseModel):
    user: UserView
    memberships: list[MembershipView]
    permissions: dict[str, list[str]]  # "platform:<id>" or "vendor:<id>" -> permissions


class ModuleStateView(BaseModel):
    code: str
    name: str
    classification: str
    requires: list[str]
    enabled: bool


class DisablePreview(BaseModel):
    """What disabling a module would affect, without changing anything."""

    module: str
    platform_id: int
    allowed: bool
    blocked_by: list[str]  # enabled modules that require it
    schedules: list[str]
    menus: list[str]
    routes: list[str]


class MenuEntry(BaseModel):
    key: str
    label: str
    path: str
    module: str


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


# ----------------------------------------------------------------- inputs
class PlatformIn(BaseModel):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9\-]{1,39}$")
    name: str = Field(min_length=1, max_length=200)
    hostnames: list[str] = Field(default_factory=list)
    default_language: Language = "en"
    languages: list[Language] = Field(default_factory=lambda: ["en", "fr", "de"], min_length=1)


class CompanyIn(BaseModel):
    legal_name: str = Field(min_length=1, max_length=200)
    address: dict[str, str] = Field(default_factory=dict)
    country: str = Field(default="LU", pattern=r"^[A-Z]{2}$")
    vat_id: str | None = None
    rcs_number: str | None = Field(default=None, max_length=40)
    contact_email: str | None = None


class VendorIn(BaseModel):
    company_id: int
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9\-]{1,39}$")
    name: str = Field(min_length=1, max_length=200)
    letzshop_slug: str | None = Field(default=None, max_length=120)
    languages: list[Language] = Field(default_factory=lambda: ["en"], min_length=1)


class VendorProfileIn(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    letzshop_slug: str | None = Field(default=None, max_length=120)
    languages: list[Language] | None = Field(default=None, min_length=1)


class UserIn(BaseModel):
    email: str = Field(max_length=254)
    name: str = Field(min_length=1, max_length=200)
    password: SecretStr
    language: Language = "en"
    is_super_admin: bool = False


class MembershipIn(BaseModel):
    user_id: int
    vendor_id: int | None = None
    role: Literal["platform_admin", "owner", "manager", "staff"]


class InviteIn(BaseModel):
    email: str = Field(max_length=254)
    name: str = Field(min_length=1, max_length=200)
    role: Literal["owner", "manager", "staff"]


class RoleChangeIn(BaseModel):
    role: Literal["owner", "manager", "staff"]


class RolePermissionsIn(BaseModel):
    permissions: list[str]


class LoginIn(BaseModel):
    email: str = Field(max_length=254)
    password: SecretStr


class RefreshIn(BaseModel):
    refresh_token: SecretStr


class ChangePasswordIn(BaseModel):
    current_password: SecretStr
    new_password: SecretStr


class ResetRequestIn(BaseModel):
    email: str = Field(max_length=254)


class ResetIn(BaseModel):
    token: SecretStr
    new_password: SecretStr


class PlatformPatch(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    hostnames: list[str] | None = None
    default_language: Language | None = None
    languages: list[Language] | None = Field(default=None, min_length=1)
    status: Literal["active", "suspended"] | None = None


class CompanyPatch(BaseModel):
    legal_name: str | None = Field(default=None, min_length=1, max_length=200)
    address: dict[str, str] | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    vat_id: str | None = None
    rcs_number: str | None = Field(default=None, max_length=40)
    contact_email: str | None = None


class UserPatch(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    language: Language | None = None
    active: bool | None = None


class TaxProfile(BaseModel):
    """What billing needs to charge VAT on a vendor's fees."""

    model_config = ConfigDict(frozen=True)

    country: str
    vat_id: str | None
