from __future__ import annotations

import attrs

from application.shared.ports import Clock
from application.tenancy.config import TenancyConfig
from application.tenancy.passwords import check_password
from application.tenancy.ports import PasswordHasher, TenancyUnitOfWork
from application.tenancy.secrets import digest
from domain.shared.errors import Unauthenticated


@attrs.frozen(kw_only=True)
class ResetPassword:
    token: str = attrs.field(repr=False)
    new_password: str = attrs.field(repr=False)


def reset_password(
    cmd: ResetPassword, *, uow: TenancyUnitOfWork, clock: Clock, hasher: PasswordHasher, config: TenancyConfig
) -> None:
    """Spend a reset token: set the password and revoke every session of the user."""
    check_password("new_password", cmd.new_password, config.min_password_length)
    now = clock.now()
    with uow:
        row = uow.reset_tokens.find(digest(cmd.token))
        if row is None or row["used_at"] is not None or row["expires_at"] <= now:
            raise Unauthenticated("invalid or expired reset token")
        user = uow.users.get(row["user_id"])
        user.password_hash = hasher.hash(cmd.new_password)
        uow.reset_tokens.use(row["token_hash"], now)
        uow.refresh_tokens.revoke_user(user.id, now)
        uow.commit()
