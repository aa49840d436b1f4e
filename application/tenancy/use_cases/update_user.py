from __future__ import annotations

import attrs

from application.shared.ports import Clock
from application.tenancy.access import Access
from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import UserPatch, UserView


@attrs.frozen(kw_only=True)
class UpdateUser:
    user_id: int
    data: UserPatch
    access: Access


def update_user(cmd: UpdateUser, *, uow: TenancyUnitOfWork, clock: Clock) -> UserView:
    """Rename, change language, or (de)activate a user; deactivating ends every session."""
    changes = cmd.data.model_dump(exclude_unset=True, exclude_none=True)
    with uow:
        user = uow.users.get(cmd.user_id)
        for name, value in changes.items():
            setattr(user, name, value)
        if changes.get("active") is False:
            uow.refresh_tokens.revoke_user(user.id, clock.now())
        uow.audit("user.updated", actor=cmd.access.actor, at=clock.now(), target_type="user", target_id=user.id,
                  details=changes)
        uow.commit()
        return UserView.model_validate(user)
