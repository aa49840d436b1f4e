from __future__ import annotations

import uuid
from datetime import timedelta

import attrs

from application.shared.ports import Clock
from application.tenancy.config import TenancyConfig
from application.tenancy.ports import AccessTokens, PasswordHasher, TenancyUnitOfWork
from application.tenancy.secrets import digest, email_key, new_token
from contracts.tenancy.dto import TokenPair
from domain.shared.errors import TooManyAttempts, Unauthenticated
from domain.tenancy.model import LoginBackoff

INVALID = "invalid email or password"


@attrs.frozen(kw_only=True)
class Login:
    email: str
    password: str = attrs.field(repr=False)


def login(
    cmd: Login,
    *,
    uow: TenancyUnitOfWork,
    clock: Clock,
    hasher: PasswordHasher,
    tokens: AccessTokens,
    config: TenancyConfig,
) -> TokenPair:
    """Email and password -> a short-lived access token and a rotating refresh token.

    Failures are counted per email (known or not) and lock it with a doubling backoff; an
    unknown email costs one password verification too, so timing does not reveal it."""
    now = clock.now()
    key = email_key(cmd.email)
    backoff = LoginBackoff(free_attempts=config.login_free_attempts,
                           base=timedelta(seconds=config.login_lock_seconds))
    with uow:
        locked_until = uow.login_attempts.locked_until(key)
        if locked_until is not None and locked_until > now:
            hasher.dummy_verify()
            raise TooManyAttempts("too many failed logins; try again later",
                                  retry_after=int((locked_until - now).total_seconds()) + 1)
        user = uow.users.by_email(cmd.email.strip().lower()) if "@" in cmd.email else None
        if user is None:
            hasher.dummy_verify()
            ok = False
        else:
            ok = hasher.verify(user.password_hash, cmd.password) and user.active
        if not ok:
            failures = uow.login_attempts.failed(key, now)
            lock = backoff.lock_for(failures)
            if lock is not None:
                uow.login_attempts.lock(key, now + lock, now)
            uow.commit()
            raise Unauthenticated(INVALID)
        uow.login_attempts.clear(key)
        pair = issue_pair(uow, tokens, config, user.id, str(uuid.uuid4()), now)
        uow.commit()
        return pair


def issue_pair(uow: TenancyUnitOfWork, tokens: AccessTokens, config: TenancyConfig,
               user_id: int, family_id: str, now) -> TokenPair:  # type: ignore[no-untyped-def]
    access, lifetime = tokens.issue(user_id, now)
    refresh = new_token()
    uow.refresh_tokens.add(user_id, family_id, digest(refresh), now,
                           now + timedelta(days=config.refresh_token_days))
    return TokenPair(access_token=access, refresh_token=refresh, expires_in=lifetime)
