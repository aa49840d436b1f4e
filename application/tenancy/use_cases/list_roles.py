from __future__ import annotations

from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import RoleView


def list_roles(platform_id: int, *, uow: TenancyUnitOfWork) -> list[RoleView]:
    with uow:
        return [RoleView.model_validate(r) for r in uow.roles(platform_id).list()]
