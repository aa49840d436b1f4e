from __future__ import annotations

import attrs
from stdnum.eu import vat

from application.shared.ports import Clock
from application.tenancy.access import Access
from application.tenancy.ports import TenancyUnitOfWork
from contracts.tenancy.dto import CompanyIn, CompanyView
from domain.shared.errors import FieldError, ValidationFailed
from domain.tenancy.model import Company, normalize_email


@attrs.frozen(kw_only=True)
class CreateCompany:
    platform_id: int
    data: CompanyIn
    access: Access


def valid_vat_id(value: str | None) -> str | None:
    """An EU VAT id, checked offline for format and check digits, in compact form."""
    if value is None or not value.strip():
        return None
    if not vat.is_valid(value):
        raise ValidationFailed(errors=[FieldError("vat_id", f"'{value}' is not a valid EU VAT id")])
    return vat.compact(value)


def create_company(cmd: CreateCompany, *, uow: TenancyUnitOfWork, clock: Clock) -> CompanyView:
    data = cmd.data
    company = Company(
        platform_id=cmd.platform_id,
        legal_name=data.legal_name,
        address=data.address,
        country=data.country,
        vat_id=valid_vat_id(data.vat_id),
        rcs_number=data.rcs_number,
        contact_email=normalize_email(data.contact_email) if data.contact_email else None,
        created_at=clock.now(),
    )
    with uow:
        uow.companies(cmd.platform_id).add(company)
        uow.flush()
        uow.audit("company.created", actor=cmd.access.actor, at=clock.now(), target_type="company",
                  target_id=company.id, platform_id=cmd.platform_id)
        uow.commit()
        return CompanyView.model_validate(company)
