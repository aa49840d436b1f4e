from __future__ import annotations

import attrs

from application.shared.ports import Clock
from application.tenancy.ports import TenancyUnitOfWork
from application.tenancy.secrets import digest


@attrs.frozen(kw_only=True)
class Logout:
    refresh_token: str = attrs.field(repr=False)


def logout(cmd: Logout, *, uow: TenancyUnitOfWork, clock: Clock) -> None:
    """Revoke the session (the refresh token's family). Unknown tokens are ignored."""
    with uow:
        row = uow.refresh_tokens.find(digest(cmd.refresh_token))
        if row is not None:
            uow.refresh_tokens.revoke_family(row["family_id"], clock.now())
            uow.commit()
