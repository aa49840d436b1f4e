"""Tables of the tenancy module and the imperative mapping of its domain classes."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from adapters.sql.metadata import map_imperatively, metadata
from adapters.sql.types import UtcDateTime
from domain.tenancy.model import Company, Membership, Platform, RoleDefinition, User, Vendor

platforms = Table(
    "tenancy_platforms",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("hostnames", JSON, nullable=False),
    Column("default_language", String(2), nullable=False),
    Column("languages", JSON, nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

companies = Table(
    "tenancy_companies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform_id", Integer, ForeignKey("tenancy_platforms.id"), nullable=False, index=True),
    Column("legal_name", String(200), nullable=False),
    Column("address", JSON, nullable=False),
    Column("country", String(2), nullable=False),
    Column("vat_id", String(20), nullable=True),
    Column("rcs_number", String(40), nullable=True),
    Column("contact_email", String(254), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
)

vendors = Table(
    "tenancy_vendors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform_id", Integer, ForeignKey("tenancy_platforms.id"), nullable=False),
    Column("company_id", Integer, ForeignKey("tenancy_companies.id"), nullable=False, index=True),
    Column("code", String(40), nullable=False),
    Column("name", String(200), nullable=False),
    Column("letzshop_slug", String(120), nullable=True),
    Column("languages", JSON, nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("platform_id", "code"),
)

users = Table(
    "tenancy_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("language", String(2), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("is_super_admin", Boolean, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

memberships = Table(
    "tenancy_memberships",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("tenancy_users.id"), nullable=False, index=True),
    Column("platform_id", Integer, ForeignKey("tenancy_platforms.id"), nullable=False, index=True),
    Column("vendor_id", Integer, ForeignKey("tenancy_vendors.id"), nullable=True, index=True),
    Column("role", String(20), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

roles = Table(
    "tenancy_roles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform_id", Integer, ForeignKey("tenancy_platforms.id"), nullable=False),
    Column("name", String(40), nullable=False),
    Column("permissions", JSON, nullable=False),
    UniqueConstraint("platform_id", "name"),
)

refresh_tokens = Table(
    "tenancy_refresh_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("tenancy_users.id"), nullable=False, index=True),
    Column("family_id", String(64), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("issued_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("rotated_at", UtcDateTime(), nullable=True),
    Column("revoked_at", UtcDateTime(), nullable=True),
)

reset_tokens = Table(
    "tenancy_reset_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("tenancy_users.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("used_at", UtcDateTime(), nullable=True),
)

login_attempts = Table(
    "tenancy_login_attempts",
    metadata,
    Column("email_key", String(64), primary_key=True),  # sha256 of the normalized email
    Column("failures", Integer, nullable=False),
    Column("locked_until", UtcDateTime(), nullable=True),
    Column("updated_at", UtcDateTime(), nullable=False),
)

module_states = Table(
    "tenancy_module_states",
    metadata,
    Column("platform_id", Integer, ForeignKey("tenancy_platforms.id"), primary_key=True),
    Column("module", String(40), primary_key=True),
    Column("enabled", Boolean, nullable=False),
    Column("changed_at", UtcDateTime(), nullable=False),
    Column("changed_by", String(200), nullable=False),
)



def start_mappers() -> None:
    map_imperatively(Platform, platforms)
    map_imperatively(Company, companies)
    map_imperatively(Vendor, vendors)
    map_imperatively(User, users)
    map_imperatively(Membership, memberships)
    map_imperatively(RoleDefinition, roles)


start_mappers()
