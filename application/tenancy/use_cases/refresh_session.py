from __future__ import annotations

import attrs

from application.shared.ports import Clock
from application.tenancy.config import TenancyConfig
from application.tenancy.ports import AccessTokens, TenancyUnitOfWork
from application.tenancy.secrets import digest
from application.tenancy.use_cases.login import issue_pair
from contracts.tenancy.dto import TokenPair
from domain.shared.errors import Unauthenticated


@attrs.frozen(kw_only=True)
class RefreshSession:
    refresh_token: str = attrs.field(repr=False)


def refresh_session(
    cmd: RefreshSession, *, uow: TenancyUnitOfWork, clock: Clock, tokens: AccessTokens, config: TenancyConfig
) -> TokenPair:
    """Rotate: the presented refresh token is spent and a new pair issued in the same family.
    Presenting a spent token again is theft or a bug: the whole family is revoked."""
    now = clock.now()
    with uow:
        row = uow.refresh_tokens.find(digest(cmd.refresh_token))
        if row is None:
            raise Unauthenticated("invalid token")
        if row["rotated_at"] is not None or row["revoked_at"] is not None:
            uow.refresh_tokens.revoke_family(row["family_id"], now)
            uow.commit()
            raise Unauthenticated("invalid token")
        user = uow.users.get_or_none(row["user_id"])
        if row["expires_at"] <= now or user is None or not user.active:
            raise Unauthenticated("invalid token")
        uow.refresh_tokens.rotate(row["token_hash"], now)
        pair = issue_pair(uow, tokens, config, row["user_id"], row["family_id"], now)
        uow.commit()
        return pair
