from __future__ import annotations

from datetime import timedelta

import attrs

from application.shared.ports import Clock
from application.tenancy.config import TenancyConfig
from application.tenancy.ports import Mailer, PasswordHasher, TenancyUnitOfWork
from application.tenancy.secrets import digest, new_token


@attrs.frozen(kw_only=True)
class RequestPasswordReset:
    email: str


def request_password_reset(
    cmd: RequestPasswordReset, *, uow: TenancyUnitOfWork, clock: Clock, mailer: Mailer,
    hasher: PasswordHasher, config: TenancyConfig,
) -> None:
    """Mail a one-time reset token to the address if a user has it. The caller learns nothing
    either way (same answer, and comparable time)."""
    with uow:
        user = uow.users.by_email(cmd.email.strip().lower()) if "@" in cmd.email else None
        if user is None or not user.active:
            hasher.dummy_verify()
            return
        token = new_token()
        uow.reset_tokens.add(user.id, digest(token), clock.now() + timedelta(minutes=config.reset_token_minutes))
        uow.commit()
    mailer.send(
        user.email,
        "Reset your Wizamart password",
        f"Use this token within {config.reset_token_minutes} minutes to set a new password:\n\n{token}\n",
    )
