from __future__ import annotations

import attrs

from application.shared.ports import Clock
from application.tenancy.access import Access
from application.tenancy.ports import TenancyUnitOfWork
from application.tenancy.use_cases.create_company import valid_vat_id
from contracts.tenancy.dto import CompanyPatch, CompanyView
from domain.tenancy.model import normalize_email


@attrs.frozen(kw_only=True)
class UpdateCompany:
    platform_id: int
    company_id: int
    data: CompanyPatch
    access: Access


def update_company(cmd: UpdateCompany, *, uow: TenancyUnitOfWork, clock: Clock) -> CompanyView:
    changes = cmd.data.model_dump(exclude_unset=True)
    if "vat_id" in changes:
        changes["vat_id"] = valid_vat_id(changes["vat_id"])
    if changes.get("contact_email"):
        changes["contact_email"] = normalize_email(changes["contact_email"])
    with uow:
        company = uow.companies(cmd.platform_id).get(cmd.company_id)
        for name, value in changes.items():
            if value is not None or name in ("vat_id", "rcs_number", "contact_email"):
                setattr(company, name, value)
        uow.audit("company.updated", actor=cmd.access.actor, at=clock.now(), target_type="company",
                  target_id=company.id, platform_id=cmd.platform_id, details={"changed": sorted(changes)})
        uow.commit()
        return CompanyView.model_validate(company)
