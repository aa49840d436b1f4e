from __future__ import annotations

from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import MembershipView


def list_memberships(platform_id: int, *, uow: TenancyUnitOfWork) -> list[MembershipView]:
    with uow:
        return [MembershipView.model_validate(m) for m in uow.memberships(platform_id).list()]
