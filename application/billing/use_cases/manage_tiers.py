"""Tier administration: list, create, update, retire, delete (only when unused)."""

from __future__ import annotations

from datetime import datetime

import attrs

from application.billing.ports import BillingUnitOfWork
from contracts.billing.dto import TierIn, TierPatch, TierView
from domain.billing.model import Tier
from domain.shared.errors import Conflict


def list_tiers(*, uow: BillingUnitOfWork, public_only: bool = False) -> list[TierView]:
    with uow:
        return [TierView.model_validate(t) for t in uow.tiers.list(include_retired=not public_only)
                if t.public or not public_only]


def create_tier(data: TierIn, *, uow: BillingUnitOfWork, actor: str, now: datetime) -> TierView:
    with uow:
        if any(t.code == data.code for t in uow.tiers.list()):
            raise Conflict(f"tier '{data.code}' exists", field="code")
        tier = Tier(**data.model_dump())
        uow.tiers.add(tier)
        uow.audit("tier.created", actor=actor, at=now, target_type="tier", target_id=tier.code)
        uow.commit()
        return TierView.model_validate(tier)


def update_tier(code: str, data: TierPatch, *, uow: BillingUnitOfWork, actor: str, now: datetime) -> TierView:
    changes = data.model_dump(exclude_unset=True)
    with uow:
        tier = uow.tiers.get(code)
        Tier(**(attrs.asdict(tier, recurse=False) | changes))  # validate the result before changing anything
        for name, value in changes.items():
            setattr(tier, name, value)
        uow.audit("tier.updated", actor=actor, at=now, target_type="tier", target_id=code,
                  details={"changed": sorted(changes)})
        uow.commit()
        return TierView.model_validate(tier)


def retire_tier(code: str, *, uow: BillingUnitOfWork, actor: str, now: datetime) -> TierView:
    """A retired tier keeps its subscribers but cannot be chosen any more."""
    with uow:
        tier = uow.tiers.get(code)
        tier.retired = True
        uow.audit("tier.retired", actor=actor, at=now, target_type="tier", target_id=code)
        uow.commit()
        return TierView.model_validate(tier)


def delete_tier(code: str, *, uow: BillingUnitOfWork, actor: str, now: datetime) -> None:
    with uow:
        tier = uow.tiers.get(code)
        subscribers = uow.tiers.in_use(code)
        if subscribers:
            raise Conflict(f"tier '{code}' has {subscribers} subscriptions: retire it instead", field="code")
        uow.tiers.remove(tier)
        uow.audit("tier.deleted", actor=actor, at=now, target_type="tier", target_id=code)
        uow.commit()
