"""SQL repositories of the tenancy module. Scoped repositories take their tenant at
construction and put it in every query: asking a platform's repository for another platform's
vendor by id answers NotFound, exactly as for an id that does not exist."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from adapters.sql.uow import SqlUnitOfWork
from adapters.tenancy.orm import (
    login_attempts,
    memberships,
    module_states,
    refresh_tokens,
    reset_tokens,
)
from contracts.tenancy.dto import TaxProfile
from domain.shared.errors import NotFound
from domain.tenancy.model import Company, Membership, Platform, Role, RoleDefinition, User, Vendor


def _one(obj: Any, what: str, key: object) -> Any:
    if obj is None:
        raise NotFound(f"{what} {key} not found")
    return obj


class SqlPlatforms:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, platform: Platform) -> None:
        self._s.add(platform)

    def get(self, platform_id: int) -> Platform:
        return _one(self._s.get(Platform, platform_id), "platform", platform_id)

    def get_or_none(self, platform_id: int) -> Platform | None:
        return self._s.get(Platform, platform_id)

    def by_code(self, code: str) -> Platform | None:
        return self._s.scalars(select(Platform).where(Platform.code == code)).first()

    def list(self, ids: set[int] | None = None) -> list[Platform]:
        query = select(Platform).order_by(Platform.id)
        if ids is not None:
            query = query.where(Platform.id.in_(ids))
        return list(self._s.scalars(query))


class _PlatformScoped:
    entity: type
    what: str

    def __init__(self, session: Session, platform_id: int) -> None:
        self._s = session
        self.platform_id = platform_id

    def _query(self):  # type: ignore[no-untyped-def]
        return select(self.entity).where(self.entity.platform_id == self.platform_id)

    def add(self, obj: Any) -> None:
        if obj.platform_id != self.platform_id:
            raise NotFound(f"{self.what} belongs to another platform")
        self._s.add(obj)

    def get_or_none(self, obj_id: int) -> Any:
        return self._s.scalars(self._query().where(self.entity.id == obj_id)).first()

    def get(self, obj_id: int) -> Any:
        return _one(self.get_or_none(obj_id), self.what, obj_id)

    def list(self) -> list[Any]:
        return list(self._s.scalars(self._query().order_by(self.entity.id)))


class SqlCompanies(_PlatformScoped):
    entity, what = Company, "company"


class SqlVendors(_PlatformScoped):
    entity, what = Vendor, "vendor"

    def by_code(self, code: str) -> Vendor | None:
        return self._s.scalars(self._query().where(Vendor.code == code)).first()


class SqlMemberships(_PlatformScoped):
    entity, what = Membership, "membership"

    def list(self, vendor_id: int | None = None) -> list[Membership]:  # type: ignore[override]
        query = self._query().order_by(Membership.id)
        if vendor_id is not None:
            query = query.where(Membership.vendor_id == vendor_id)
        return list(self._s.scalars(query))

    def remove(self, membership: Membership) -> None:
        self._s.delete(self.get(membership.id))

    def of_user(self, user_id: int) -> list[Membership]:
        return list(self._s.scalars(self._query().where(Membership.user_id == user_id)))

    def count_owners(self, vendor_id: int) -> int:
        return self._s.scalar(
            select(func.count()).select_from(memberships).where(
                memberships.c.platform_id == self.platform_id,
                memberships.c.vendor_id == vendor_id,
                memberships.c.role == Role.OWNER,
            )
        ) or 0


class SqlRoles:
    def __init__(self, session: Session, platform_id: int) -> None:
        self._s = session
        self.platform_id = platform_id

    def add(self, role: RoleDefinition) -> None:
        self._s.add(role)

    def get(self, name: str) -> RoleDefinition:
        role = self._s.scalars(
            select(RoleDefinition).where(
                RoleDefinition.platform_id == self.platform_id, RoleDefinition.name == name
            )
        ).first()
        return _one(role, "role", name)

    def list(self) -> list[RoleDefinition]:
        return list(
            self._s.scalars(
                select(RoleDefinition)
                .where(RoleDefinition.platform_id == self.platform_id)
                .order_by(RoleDefinition.name)
            )
        )


class SqlTeam:
    """One vendor's members."""

    def __init__(self, session: Session, vendor_id: int) -> None:
        self._s = session
        self.vendor_id = vendor_id

    def _query(self):  # type: ignore[no-untyped-def]
        return select(Membership).where(Membership.vendor_id == self.vendor_id)

    def get(self, membership_id: int) -> Membership:
        found = self._s.scalars(self._query().where(Membership.id == membership_id)).first()
        return _one(found, "team member", membership_id)

    def list(self) -> list[tuple[Membership, User]]:
        rows = self._s.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.vendor_id == self.vendor_id)
            .order_by(Membership.id)
        )
        return [(m, u) for m, u in rows]

    def of_user(self, user_id: int) -> Membership | None:
        return self._s.scalars(self._query().where(Membership.user_id == user_id)).first()

    def add(self, membership: Membership) -> None:
        if membership.vendor_id != self.vendor_id:
            raise NotFound("membership belongs to another vendor")
        self._s.add(membership)

    def remove(self, membership: Membership) -> None:
        self._s.delete(self.get(membership.id))

    def count_owners(self) -> int:
        return self._s.scalar(
            select(func.count()).select_from(memberships).where(
                memberships.c.vendor_id == self.vendor_id, memberships.c.role == Role.OWNER
            )
        ) or 0

    def count(self) -> int:
        return self._s.scalar(
            select(func.count()).select_from(memberships).where(memberships.c.vendor_id == self.vendor_id)
        ) or 0


class SqlUsers:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, user: User) -> None:
        self._s.add(user)

    def get(self, user_id: int) -> User:
        return _one(self._s.get(User, user_id), "user", user_id)

    def get_or_none(self, user_id: int) -> User | None:
        return self._s.get(User, user_id)

    def by_email(self, email: str) -> User | None:
        return self._s.scalars(select(User).where(User.email == email)).first()

    def list(self, platform_id: int | None = None) -> list[User]:
        query = select(User).order_by(User.id)
        if platform_id is not None:
            members = select(memberships.c.user_id).where(memberships.c.platform_id == platform_id)
            query = query.where(User.id.in_(members))
        return list(self._s.scalars(query))


class SqlUserMemberships:
    def __init__(self, session: Session) -> None:
        self._s = session

    def of_user(self, user_id: int) -> list[Membership]:
        return list(self._s.scalars(select(Membership).where(Membership.user_id == user_id).order_by(Membership.id)))


class SqlVendorLocator:
    def __init__(self, session: Session) -> None:
        self._s = session

    def platform_of(self, vendor_id: int) -> int | None:
        return self._s.scalar(select(Vendor.platform_id).where(Vendor.id == vendor_id))


class SqlModuleStates:
    def __init__(self, session: Session, platform_id: int) -> None:
        self._s = session
        self.platform_id = platform_id

    def enabled(self) -> set[str]:
        return set(
            self._s.scalars(
                select(module_states.c.module).where(
                    module_states.c.platform_id == self.platform_id, module_states.c.enabled.is_(True)
                )
            )
        )

    def set(self, module: str, enabled: bool, now: datetime, actor: str) -> None:
        key = (module_states.c.platform_id == self.platform_id) & (module_states.c.module == module)
        values = {"enabled": enabled, "changed_at": now, "changed_by": actor}
        if not self._s.execute(update(module_states).where(key).values(**values)).rowcount:
            self._s.execute(insert(module_states).values(platform_id=self.platform_id, module=module, **values))


class SqlRefreshTokens:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, user_id: int, family_id: str, token_hash: str, now: datetime, expires_at: datetime) -> None:
        self._s.execute(insert(refresh_tokens).values(
            user_id=user_id, family_id=family_id, token_hash=token_hash, issued_at=now, expires_at=expires_at))

    def find(self, token_hash: str) -> dict[str, Any] | None:
        row = self._s.execute(select(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash)).mappings().first()
        return dict(row) if row else None

    def rotate(self, token_hash: str, now: datetime) -> None:
        self._s.execute(update(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash).values(rotated_at=now))

    def revoke_family(self, family_id: str, now: datetime) -> None:
        self._s.execute(update(refresh_tokens).where(
            refresh_tokens.c.family_id == family_id, refresh_tokens.c.revoked_at.is_(None)).values(revoked_at=now))

    def revoke_user(self, user_id: int, now: datetime) -> None:
        self._s.execute(update(refresh_tokens).where(
            refresh_tokens.c.user_id == user_id, refresh_tokens.c.revoked_at.is_(None)).values(revoked_at=now))


class SqlResetTokens:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, user_id: int, token_hash: str, expires_at: datetime) -> None:
        self._s.execute(insert(reset_tokens).values(user_id=user_id, token_hash=token_hash, expires_at=expires_at))

    def find(self, token_hash: str) -> dict[str, Any] | None:
        row = self._s.execute(select(reset_tokens).where(reset_tokens.c.token_hash == token_hash)).mappings().first()
        return dict(row) if row else None

    def use(self, token_hash: str, now: datetime) -> None:
        self._s.execute(update(reset_tokens).where(reset_tokens.c.token_hash == token_hash).values(used_at=now))


class SqlLoginAttempts:
    def __init__(self, session: Session) -> None:
        self._s = session

    def locked_until(self, email_key: str) -> datetime | None:
        return self._s.scalar(select(login_attempts.c.locked_until).where(login_attempts.c.email_key == email_key))

    def failed(self, email_key: str, now: datetime) -> int:
        key = login_attempts.c.email_key == email_key
        if self._s.execute(update(login_attempts).where(key).values(
                failures=login_attempts.c.failures + 1, updated_at=now)).rowcount == 0:
            self._s.execute(insert(login_attempts).values(email_key=email_key, failures=1, updated_at=now))
        return self._s.scalar(select(login_attempts.c.failures).where(key)) or 1

    def lock(self, email_key: str, until: datetime, now: datetime) -> None:
        self._s.execute(update(login_attempts).where(login_attempts.c.email_key == email_key)
                        .values(locked_until=until, updated_at=now))

    def clear(self, email_key: str) -> None:
        self._s.execute(delete(login_attempts).where(login_attempts.c.email_key == email_key))


class SqlTenancyUnitOfWork(SqlUnitOfWork):
    def __enter__(self) -> SqlTenancyUnitOfWork:
        super().__enter__()
        s = self.session
        self.platforms = SqlPlatforms(s)
        self.users = SqlUsers(s)
        self.vendor_locator = SqlVendorLocator(s)
        self.user_memberships = SqlUserMemberships(s)
        self.refresh_tokens = SqlRefreshTokens(s)
        self.reset_tokens = SqlResetTokens(s)
        self.login_attempts = SqlLoginAttempts(s)
        return self

    def companies(self, platform_id: int) -> SqlCompanies:
        return SqlCompanies(self.session, platform_id)

    def vendors(self, platform_id: int) -> SqlVendors:
        return SqlVendors(self.session, platform_id)

    def memberships(self, platform_id: int) -> SqlMemberships:
        return SqlMemberships(self.session, platform_id)

    def team(self, vendor_id: int) -> SqlTeam:
        return SqlTeam(self.session, vendor_id)

    def roles(self, platform_id: int) -> SqlRoles:
        return SqlRoles(self.session, platform_id)

    def modules(self, platform_id: int) -> SqlModuleStates:
        return SqlModuleStates(self.session, platform_id)


UNIT_OF_WORK = SqlTenancyUnitOfWork


class SqlModuleDirectory:
    """Which optional modules each platform has on: read by HTTP gating, the outbox relay and
    scheduled tasks (outside any unit of work)."""

    def __init__(self, engine) -> None:  # type: ignore[no-untyped-def]
        self._engine = engine

    def is_enabled(self, platform_id: int, module: str) -> bool:
        return bool(self.is_enabled_for(module, platform_id=platform_id))

    def is_enabled_for(
        self, module: str, *, platform_id: int | None = None, vendor_id: int | None = None
    ) -> bool | None:
        on_module = module_states.c.module == module
        if platform_id is not None:
            with self._engine.connect() as connection:
                return bool(connection.scalar(select(module_states.c.enabled).where(
                    module_states.c.platform_id == platform_id, on_module)))
        if vendor_id is None:
            return None
        with self._engine.connect() as connection:
            row = connection.execute(
                select(Vendor.id, module_states.c.enabled)
                .outerjoin(module_states, (module_states.c.platform_id == Vendor.platform_id) & on_module)
                .where(Vendor.id == vendor_id)
            ).first()
        return None if row is None else bool(row.enabled)

    def vendors_of(self, platform_id: int) -> list[int]:
        with self._engine.connect() as connection:
            return list(connection.scalars(select(Vendor.id).where(Vendor.platform_id == platform_id)
                                           .order_by(Vendor.id)))

    def vendor_name(self, vendor_id: int) -> str | None:
        with self._engine.connect() as connection:
            return connection.scalar(select(Vendor.name).where(Vendor.id == vendor_id))

    def tax_profile(self, vendor_id: int) -> TaxProfile | None:
        with self._engine.connect() as connection:
            row = connection.execute(select(Company.country, Company.vat_id)
                                     .join(Vendor, Vendor.company_id == Company.id)
                                     .where(Vendor.id == vendor_id)).first()
        return None if row is None else TaxProfile(country=row.country, vat_id=row.vat_id)

    def platforms_with(self, module: str) -> list[int]:
        with self._engine.connect() as connection:
            return list(connection.scalars(select(module_states.c.platform_id).where(
                module_states.c.module == module, module_states.c.enabled.is_(True))))


class TenancyServices:
    def __init__(self, container) -> None:  # type: ignore[no-untyped-def]
        from adapters.tenancy.mailer import LogMailer
        from adapters.tenancy.security import Argon2Hasher, JwtAccessTokens

        config = container.configuration.module("tenancy")
        settings = container.settings
        self.hasher = Argon2Hasher()
        self.tokens = JwtAccessTokens(
            settings.secret_key.get_secret_value(), timedelta(minutes=config.access_token_minutes)
        )
        self.mailer = LogMailer(include_body=settings.environment != "production")
        self.directory = SqlModuleDirectory(container.engine)


def services(container) -> TenancyServices:  # type: ignore[no-untyped-def]
    return TenancyServices(container)
