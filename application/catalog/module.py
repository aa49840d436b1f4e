"""The catalog module: vendor products."""

from __future__ import annotations

from application.catalog.config import CatalogConfig
from application.shared.modules import CORE, MenuItem, ModuleDefinition

MODULE = ModuleDefinition(
    code="catalog",
    name="Catalog",
    description="Vendor products: SKU, GTIN, translated titles, price, VAT class, status.",
    classification=CORE,
    requires=("tenancy",),
    config=CatalogConfig,
    permissions=("catalog.view", "catalog.manage"),
    vendor_permissions=("catalog.view", "catalog.manage"),
    menus=(
        MenuItem(area="vendor", key="products", path="/vendor/products", order=30,
                 label={"en": "Products", "fr": "Produits", "de": "Produkte"}, permission="catalog.view"),
    ),
)
