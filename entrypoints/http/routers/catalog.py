"""HTTP routes of the catalog module: a vendor's products."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from application.catalog.use_cases.products import (
    ProductCommand,
    create_product,
    get_product,
    list_products,
    set_product_status,
    update_product,
)
from application.tenancy.access import Access
from contracts.catalog.dto import ProductFilter, ProductIn, ProductPatch, ProductView
from contracts.shared.pagination import Page, PageRequest
from entrypoints.bootstrap import Container
from entrypoints.http.auth import authorize
from entrypoints.http.deps import ContainerDep

router = APIRouter(tags=["catalog"])

CatalogView = Annotated[Access, authorize("catalog.view")]
CatalogManage = Annotated[Access, authorize("catalog.manage")]

PRODUCTS = "/api/v1/vendor/{vendor_id}/products"
LIMIT_RESPONSES = {402: {"description": "The plan's product limit is reached (problem names the limit)"}}


def _cmd(access: Access, vendor_id: int) -> ProductCommand:
    return ProductCommand(platform_id=access.platform_id, vendor_id=vendor_id, actor=access.actor)  # type: ignore[arg-type]


def _limits(container: Container):  # type: ignore[no-untyped-def]
    return container.module_services("billing").limits


@router.get(PRODUCTS, response_model=Page[ProductView])
def products(vendor_id: int, _: CatalogView, container: ContainerDep,
             filters: Annotated[ProductFilter, Depends()], page: Annotated[PageRequest, Query()]) -> Page[ProductView]:
    """The vendor's products by id; filters `status`, `availability`, `brand`; `q` searches SKU,
    GTIN and titles."""
    return list_products(vendor_id, filters, page, uow=container.unit_of_work("catalog", read_only=True))


@router.post(PRODUCTS, response_model=ProductView, status_code=201, responses=LIMIT_RESPONSES)
def create(vendor_id: int, body: ProductIn, access: CatalogManage, container: ContainerDep) -> ProductView:
    """Create a product (draft, or active when the plan allows one more active product)."""
    return create_product(_cmd(access, vendor_id), body, uow=container.unit_of_work("catalog"),
                          clock=container.clock, limits=_limits(container))


@router.get(f"{PRODUCTS}/{{product_id}}", response_model=ProductView)
def product(vendor_id: int, product_id: int, _: CatalogView, container: ContainerDep) -> ProductView:
    return get_product(vendor_id, product_id, uow=container.unit_of_work("catalog", read_only=True))


@router.patch(f"{PRODUCTS}/{{product_id}}", response_model=ProductView)
def update(vendor_id: int, product_id: int, body: ProductPatch, access: CatalogManage,
           container: ContainerDep) -> ProductView:
    return update_product(_cmd(access, vendor_id), product_id, body, uow=container.unit_of_work("catalog"),
                          clock=container.clock)


def _status(container: Container, access: Access, vendor_id: int, product_id: int,
            status: Literal["active", "archived"]) -> ProductView:
    return set_product_status(_cmd(access, vendor_id), product_id, status, uow=container.unit_of_work("catalog"),
                              clock=container.clock, limits=_limits(container))


@router.post(f"{PRODUCTS}/{{product_id}}/activate", response_model=ProductView, responses=LIMIT_RESPONSES)
def activate(vendor_id: int, product_id: int, access: CatalogManage, container: ContainerDep) -> ProductView:
    """Put the product on sale (asks the plan for one more active product)."""
    return _status(container, access, vendor_id, product_id, "active")


@router.post(f"{PRODUCTS}/{{product_id}}/archive", response_model=ProductView)
def archive(vendor_id: int, product_id: int, access: CatalogManage, container: ContainerDep) -> ProductView:
    return _status(container, access, vendor_id, product_id, "archived")
