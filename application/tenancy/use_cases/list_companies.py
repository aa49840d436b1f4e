from __future__ import annotations

from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import CompanyView


def list_companies(platform_id: int, *, uow: TenancyUnitOfWork) -> list[CompanyView]:
    with uow:
        return [CompanyView.model_validate(c) for c in uow.companies(platform_id).list()]
