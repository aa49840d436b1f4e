from __future__ import annotations

from application.tenancy.access import Access
from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import UserView


def list_users(access: Access, *, uow: TenancyUnitOfWork, platform_id: int | None = None) -> list[UserView]:
    """Super admins: every user (or a platform's); platform admins: their platform's users."""
    with uow:
        return [UserView.model_validate(u) for u in uow.users.list(platform_id)]
