"""What the catalog module shows other modules and the outside world."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

Language = Literal["en", "fr", "de"]
Availability = Literal["in_stock", "out_of_stock", "preorder", "backorder"]
VatClassName = Literal["standard", "intermediate", "reduced", "super_reduced"]


class ProductIn(BaseModel):
    sku: str = Field(min_length=1, max_length=100)
    gtin: str | None = Field(default=None, max_length=14)
    titles: dict[Language, str] = Field(min_length=1)
    descriptions: dict[Language, str] = Field(default_factory=dict)
    price_cents: int = Field(ge=0)
    sale_price_cents: int | None = Field(default=None, ge=0)
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    vat_class: VatClassName = "standard"
    availability: Availability = "in_stock"
    brand: str = Field(default="", max_length=200)
    image_links: list[str] = Field(default_factory=list, max_length=20)
    status: Literal["draft", "active"] = "draft"


class ProductPatch(BaseModel):
    """Only the fields sent change; SKU and currency are fixed."""

    gtin: str | None = Field(default=None, max_length=14)
    titles: dict[Language, str] | None = None
    descriptions: dict[Language, str] | None = None
    price_cents: int | None = Field(default=None, ge=0)
    sale_price_cents: int | None = Field(default=None, ge=0)
    vat_class: VatClassName | None = None
    availability: Availability | None = None
    brand: str | None = Field(default=None, max_length=200)
    image_links: list[str] | None = Field(default=None, max_length=20)


class ProductView(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    vendor_id: int
    sku: str
    gtin: str | None
    gtin_type: str | None
    titles: dict[str, str]
    descriptions: dict[str, str]
    price_cents: int
    sale_price_cents: int | None
    currency: str
    vat_class: str
    availability: str
    brand: str
    image_links: list[str]
    status: str
    created_at: datetime
    updated_at: datetime


class ProductFilter(BaseModel):
    status: Literal["draft", "active", "archived"] | None = None
    availability: Availability | None = None
    brand: str | None = None
    q: str | None = Field(default=None, description="Text in the SKU, the GTIN or a title")


class FeedProduct(NamedTuple):
    """A product as one feed row in one language, both ways: a validated row marketplace hands
    to the catalog, and an active product the catalog exports (its SKU as the id, the content
    hash of its last import in that language, "" if none). A tuple, not a model: an import hands
    over a million of them, already validated by the feed reader."""

    external_id: str  # the SKU: of the product a row creates, or of the product exported
    gtin: str | None
    title: str
    description: str
    price_cents: int
    sale_price_cents: int | None
    currency: str
    availability: str
    brand: str
    image_links: tuple[str, ...]
    content_hash: str


class FeedSyncResult(BaseModel):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links: dict[str, int] = Field(default_factory=dict)  # external id -> product id
    refused: list[tuple[str, str]] = Field(default_factory=list)  # (external id, reason)
    active: int | None = None  # the vendor's active products after the batch, where it counted them
