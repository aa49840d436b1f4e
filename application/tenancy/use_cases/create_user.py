from __future__ import annotations

import attrs

from application.shared.ports import Clock
from application.tenancy.access import Access
from application.tenancy.config import TenancyConfig
from application.tenancy.passwords import check_password
from application.tenancy.ports import PasswordHasher, TenancyUnitOfWork
from contracts.tenancy.dto import UserIn, UserView
from domain.shared.errors import Conflict, PermissionDenied
from domain.tenancy.model import User, normalize_email


@attrs.frozen(kw_only=True)
class CreateUser:
    data: UserIn
    access: Access


def create_user(
    cmd: CreateUser, *, uow: TenancyUnitOfWork, clock: Clock, hasher: PasswordHasher, config: TenancyConfig
) -> UserView:
    """A user account; only a super admin creates super admins."""
    data = cmd.data
    if data.is_super_admin and not cmd.access.is_super_admin:
        raise PermissionDenied("only a super admin creates super admins")
    email = normalize_email(data.email)
    password = check_password("password", data.password.get_secret_value(), config.min_password_length)
    with uow:
        if uow.users.by_email(email) is not None:
            raise Conflict(f"a user with email '{email}' exists", field="email")
        user = User(email=email, name=data.name, language=data.language, is_super_admin=data.is_super_admin,
                    password_hash=hasher.hash(password), created_at=clock.now())
        uow.users.add(user)
        uow.flush()
        uow.audit("user.created", actor=cmd.access.actor, at=clock.now(), target_type="user", target_id=user.id,
                  details={"super_admin": user.is_super_admin})
        uow.commit()
        return UserView.model_validate(user)
