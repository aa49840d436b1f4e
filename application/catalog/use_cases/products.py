"""A vendor's products: create, change, activate, archive, list. Every product made active
counts against the plan's product limit (asked of billing's PlanLimits; allowed everywhere
when billing is off), and the number of active products is published for billing's gauge."""

from __future__ import annotations

from datetime import datetime

import attrs

from application.catalog.ports import CatalogUnitOfWork, Products
from application.shared.ports import Clock
from contracts.billing.facade import PlanLimits
from contracts.catalog.dto import ProductFilter, ProductIn, ProductPatch, ProductView
from contracts.catalog.events import ActiveProductsChanged
from contracts.shared.pagination import Page, PageRequest
from domain.catalog.model import Product
from domain.shared.errors import Conflict, LimitExceeded


@attrs.frozen(kw_only=True)
class ProductCommand:
    platform_id: int
    vendor_id: int
    actor: str


def ensure_room(limits: PlanLimits, cmd: ProductCommand, products: Products) -> int:
    """The vendor's active products now; raises LimitExceeded when the plan allows no more and
    the platform blocks at the limit."""
    active = products.count_active()
    check = limits.check(cmd.platform_id, cmd.vendor_id, "products", used=active)
    if not check.allowed:
        raise LimitExceeded(f"{check.reason}: archive a product or choose a bigger plan", limit="products",
                            used=check.used, allowed=check.limit)
    return active


def publish_active_count(uow: CatalogUnitOfWork, platform_id: int, vendor_id: int, active: int,
                         now: datetime) -> None:
    """Billing's ``products`` gauge follows this (like tenancy's team size)."""
    uow.publish(ActiveProductsChanged(occurred_at=now, platform_id=platform_id, vendor_id=vendor_id, active=active))


def create_product(cmd: ProductCommand, data: ProductIn, *, uow: CatalogUnitOfWork, clock: Clock,
                   limits: PlanLimits) -> ProductView:
    now = clock.now()
    with uow:
        products = uow.products(cmd.vendor_id)
        if products.by_sku(data.sku) is not None:
            raise Conflict(f"SKU '{data.sku}' exists already", field="sku")
        active = ensure_room(limits, cmd, products) + 1 if data.status == "active" else None
        product = Product(vendor_id=cmd.vendor_id, platform_id=cmd.platform_id, created_at=now, updated_at=now,
                          **data.model_dump())
        products.add(product)
        uow.flush()
        if active is not None:
            publish_active_count(uow, cmd.platform_id, cmd.vendor_id, active, now)
        uow.audit("product.created", actor=cmd.actor, at=now, target_type="product", target_id=product.id,
                  platform_id=cmd.platform_id, vendor_id=cmd.vendor_id, details={"sku": product.sku})
        uow.commit()
        return ProductView.model_validate(product)


def update_product(cmd: ProductCommand, product_id: int, patch: ProductPatch, *, uow: CatalogUnitOfWork,
                   clock: Clock) -> ProductView:
    now = clock.now()
    with uow:
        product = uow.products(cmd.vendor_id).get(product_id)
        changes = patch.model_dump(exclude_unset=True)
        product.update(changes, now)
        uow.audit("product.updated", actor=cmd.actor, at=now, target_type="product", target_id=product_id,
                  platform_id=cmd.platform_id, vendor_id=cmd.vendor_id, details={"fields": sorted(changes)})
        uow.commit()
        return ProductView.model_validate(product)


def set_product_status(cmd: ProductCommand, product_id: int, status: str, *, uow: CatalogUnitOfWork,
                       clock: Clock, limits: PlanLimits) -> ProductView:
    """``active`` (asks the plan) or ``archived``."""
    now = clock.now()
    with uow:
        products = uow.products(cmd.vendor_id)
        product = products.get(product_id)
        if status == "active":
            active = 0 if product.is_active else ensure_room(limits, cmd, products) + 1
            product.activate(now)  # Conflict when it is active already
        else:
            product.archive(now)
            uow.flush()
            active = products.count_active()
        publish_active_count(uow, cmd.platform_id, cmd.vendor_id, active, now)
        uow.audit(f"product.{'activated' if status == 'active' else 'archived'}", actor=cmd.actor, at=now,
                  target_type="product", target_id=product_id, platform_id=cmd.platform_id,
                  vendor_id=cmd.vendor_id)
        uow.commit()
        return ProductView.model_validate(product)


def get_product(vendor_id: int, product_id: int, *, uow: CatalogUnitOfWork) -> ProductView:
    with uow:
        return ProductView.model_validate(uow.products(vendor_id).get(product_id))


def list_products(vendor_id: int, filters: ProductFilter, page: PageRequest, *,
                  uow: CatalogUnitOfWork) -> Page[ProductView]:
    with uow:
        found, total = uow.products(vendor_id).page(filters, page.limit, page.offset)
        return Page(items=[ProductView.model_validate(p) for p in found], total=total, limit=page.limit,
                    offset=page.offset)
