from __future__ import annotations

from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import TeamMemberView


def list_team(vendor_id: int, *, uow: TenancyUnitOfWork) -> list[TeamMemberView]:
    with uow:
        return [
            TeamMemberView(membership_id=m.id, user_id=u.id, email=u.email, name=u.name, role=m.role)
            for m, u in uow.team(vendor_id).list()
        ]
