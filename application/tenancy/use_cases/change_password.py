from __future__ import annotations

import attrs

from application.shared.ports import Clock
from application.tenancy.config import TenancyConfig
from application.tenancy.passwords import check_password
from application.tenancy.ports import PasswordHasher, TenancyUnitOfWork
from domain.shared.errors import FieldError, ValidationFailed


@attrs.frozen(kw_only=True)
class ChangePassword:
    user_id: int
    current_password: str = attrs.field(repr=False)
    new_password: str = attrs.field(repr=False)


def change_password(
    cmd: ChangePassword, *, uow: TenancyUnitOfWork, clock: Clock, hasher: PasswordHasher, config: TenancyConfig
) -> None:
    """Set a new password; every session of the user is revoked."""
    check_password("new_password", cmd.new_password, config.min_password_length)
    with uow:
        user = uow.users.get(cmd.user_id)
        if not hasher.verify(user.password_hash, cmd.current_password):
            raise ValidationFailed(errors=[FieldError("current_password", "does not match")])
        user.password_hash = hasher.hash(cmd.new_password)
        uow.refresh_tokens.revoke_user(user.id, clock.now())
        uow.commit()
