"""Tenancy: platforms, companies, vendors, users, memberships, roles, module enablement."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import attrs

from domain.shared.errors import Conflict, FieldError, ValidationFailed
from domain.shared.events import RecordsEvents

LANGUAGES = ("en", "fr", "de", "lb")
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9\-]{1,39}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class PlatformStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


class VendorStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class Role(StrEnum):
    PLATFORM_ADMIN = "platform_admin"
    OWNER = "owner"
    MANAGER = "manager"
    STAFF = "staff"


VENDOR_ROLES = (Role.OWNER, Role.MANAGER, Role.STAFF)


def check_code(field: str, value: str) -> str:
    if not CODE_PATTERN.match(value or ""):
        raise ValidationFailed(
            errors=[FieldError(field, "2-40 lower-case letters, digits or dashes")]
        )
    return value


def check_languages(field: str, values: list[str]) -> list[str]:
    unknown = [v for v in values if v not in LANGUAGES]
    if unknown or not values:
        raise ValidationFailed(
            errors=[FieldError(field, f"choose from {', '.join(LANGUAGES)} (got {values})")]
        )
    return list(dict.fromkeys(values))


def normalize_email(value: str) -> str:
    email = (value or "").strip().lower()
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        raise ValidationFailed(errors=[FieldError("email", "not a valid email address")])
    return email


@attrs.define(slots=False, eq=False, kw_only=True)
class Platform:
    code: str
    name: str
    hostnames: list[str] = attrs.field(factory=list)
    default_language: str = "en"
    languages: list[str] = attrs.field(factory=lambda: ["en", "fr", "de"])
    status: str = PlatformStatus.ACTIVE
    created_at: datetime
    id: int | None = None

    def __attrs_post_init__(self) -> None:
        check_code("code", self.code)
        self.languages = check_languages("languages", self.languages)
        if self.default_language not in self.languages:
            raise ValidationFailed(
                errors=[FieldError("default_language", "must be one of the platform's languages")]
            )


@attrs.define(slots=False, eq=False, kw_only=True)
class Company:
    platform_id: int
    legal_name: str
    address: dict[str, Any] = attrs.field(factory=dict)
    country: str = "LU"
    vat_id: str | None = None  # validated by the application (format and checksum)
    rcs_number: str | None = None
    contact_email: str | None = None
    created_at: datetime
    id: int | None = None


@attrs.define(slots=False, eq=False, kw_only=True)
class Vendor(RecordsEvents):
    platform_id: int
    company_id: int
    code: str
    name: str
    letzshop_slug: str | None = None
    languages: list[str] = attrs.field(factory=lambda: ["en"])
    status: str = VendorStatus.ACTIVE
    created_at: datetime
    id: int | None = None

    def __attrs_post_init__(self) -> None:
        check_code("code", self.code)
        self.languages = check_languages("languages", self.languages)

    def suspend(self, now: datetime) -> None:
        if self.status == VendorStatus.CLOSED:
            raise Conflict(f"vendor {self.code} is closed", field="status")
        self.status = VendorStatus.SUSPENDED

    def close(self) -> None:
        """Closing is final: the shop is gone, its data kept (purging is a separate action)."""
        self.status = VendorStatus.CLOSED

    def reactivate(self) -> None:
        if self.status == VendorStatus.CLOSED:
            raise Conflict(f"vendor {self.code} is closed", field="status")
        self.status = VendorStatus.ACTIVE


@attrs.define(slots=False, eq=False, kw_only=True)
class User:
    email: str = attrs.field(converter=normalize_email)
    name: str
    password_hash: str
    language: str = "en"
    active: bool = True
    is_super_admin: bool = False
    created_at: datetime
    id: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValidationFailed(
                errors=[FieldError("language", f"choose from {', '.join(LANGUAGES)}")]
            )


@attrs.define(slots=False, eq=False, kw_only=True)
class Membership:
    """A user's place in a tenant: platform admin of a platform, or a role in a vendor."""

    user_id: int
    role: str
    platform_id: int
    vendor_id: int | None = None
    created_at: datetime
    id: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.vendor_id is None and self.role != Role.PLATFORM_ADMIN:
            raise ValidationFailed(errors=[FieldError("role", "a platform membership is platform_admin")])
        if self.vendor_id is not None and self.role not in VENDOR_ROLES:
            raise ValidationFailed(
                errors=[FieldError("role", f"choose from {', '.join(VENDOR_ROLES)}")]
            )


@attrs.define(slots=False, eq=False, kw_only=True)
class RoleDefinition:
    """The permissions a role grants on one platform."""

    platform_id: int
    name: str
    permissions: list[str] = attrs.field(factory=list)
    id: int | None = None


def ensure_not_last_owner(owners: int, removing_owner: bool) -> None:
    if removing_owner and owners <= 1:
        raise Conflict("a vendor keeps at least one owner", field="role")


@attrs.frozen(kw_only=True)
class LoginBackoff:
    """How long an email is locked after repeated failed logins."""

    free_attempts: int = 5
    base: timedelta = timedelta(seconds=30)
    ceiling: timedelta = timedelta(hours=1)

    def lock_for(self, failures: int) -> timedelta | None:
        if failures < self.free_attempts:
            return None
        doublings = min(failures - self.free_attempts, 32)  # 2**32 x base is past any ceiling
        return min(self.ceiling, self.base * 2**doublings)

