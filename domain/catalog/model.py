"""Catalog: a vendor's products and the rules each one keeps."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

import attrs

from domain.shared.errors import Conflict, FieldError, ValidationFailed
from domain.shared.gtin import check_gtin, gtin_type
from domain.shared.vat import VatClass

LANGUAGES = ("en", "fr", "de")
AVAILABILITIES = ("in_stock", "out_of_stock", "preorder", "backorder")
SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-/]{0,99}$")
MAX_TITLE = 500
_VAT_CLASSES = frozenset(VatClass)
_AVAILABILITIES = frozenset(AVAILABILITIES)


class ProductStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ARCHIVED = "archived"


def search_text(sku: str, gtin: str | None, titles: dict[str, str]) -> str:
    """What the text search looks in: SKU, GTIN and every title, lower-cased."""
    return " ".join([sku, gtin or "", *titles.values()]).lower()


def derived(sku: str, gtin: str | None, titles: dict[str, str]) -> dict[str, Any]:
    """The fields that follow from SKU, GTIN and titles (of valid data): a blank GTIN is none,
    blank titles are dropped, the GTIN's type and the search text."""
    gtin = gtin or None
    titles = {lang: text for lang, text in titles.items() if text}
    return {"gtin": gtin, "gtin_type": gtin_type(gtin) if gtin else None, "titles": titles,
            "search_text": search_text(sku, gtin, titles)}


def derived_columns(skus: Sequence[str], gtins: Sequence[str | None], titles: Sequence[str],
                    language: str) -> dict[str, list[Any]]:
    """``derived`` of products with one title each (the new products of a feed batch), a column
    at a time: the same values as ``derived`` row by row, at a fraction of the cost."""
    gtins = [gtin or None for gtin in gtins]
    by_language = [{language: title} if title else {} for title in titles]
    return {"gtin": gtins, "gtin_type": [gtin_type(gtin) if gtin else None for gtin in gtins], "titles": by_language,
            "search_text": list(map(search_text, skus, gtins, by_language))}


def all_valid(*, skus: Sequence[str], gtins: Sequence[str | None], gtin_types: Sequence[str | None],
              titles: Sequence[str], language: str, prices: Sequence[int | None],
              sale_prices: Sequence[int | None], availabilities: Sequence[str], vat_class: str) -> bool:
    """Whether ``validate`` accepts every product of these columns (products with one title and
    at most one description, in ``language``; ``gtins`` and ``gtin_types`` as ``derived_columns``
    gives them), checked a column at a time, mostly in C. False when one may be refused: then
    ``validate`` each, for its reasons. Never True where ``validate`` would refuse one (a
    property test)."""
    return (language in LANGUAGES and vat_class in _VAT_CLASSES
            and all(map(SKU.match, skus))
            and gtin_types.count(None) == gtins.count(None)  # every GTIN given is valid
            and all(map(str.strip, titles)) and max(map(len, titles), default=0) <= MAX_TITLE
            and None not in prices and min(prices, default=0) >= 0  # type: ignore[type-var]
            and all(sale is None or 0 <= sale <= price  # type: ignore[operator]
                    for sale, price in zip(sale_prices, prices, strict=True))
            and _AVAILABILITIES.issuperset(availabilities))


def validate(data: dict[str, Any]) -> list[FieldError]:
    """The errors of a product's fields (all of them, so one answer names every bad field)."""
    errors = []
    if not SKU.match(data.get("sku") or ""):
        errors.append(FieldError("sku", "1-100 letters, digits, '.', '_', '-' or '/', starting with a letter or digit"))
    gtin = data.get("gtin")
    if gtin:
        try:
            check_gtin(gtin)
        except ValueError as exc:
            errors.append(FieldError("gtin", str(exc)))
    titles = data.get("titles") or {}
    if not any((t or "").strip() for t in titles.values()):
        errors.append(FieldError("titles", "give a title in at least one of en, fr, de"))
    for field in ("titles", "descriptions"):
        for lang in data.get(field) or {}:
            if lang not in LANGUAGES:
                errors.append(FieldError(f"{field}.{lang}", f"choose from {', '.join(LANGUAGES)}"))
    for lang, text in titles.items():
        if len(text or "") > MAX_TITLE:
            errors.append(FieldError(f"titles.{lang}", f"at most {MAX_TITLE} characters"))
    price, sale = data.get("price_cents"), data.get("sale_price_cents")
    if price is None or price < 0:
        errors.append(FieldError("price_cents", "must be zero or more"))
    if sale is not None and (sale < 0 or (price is not None and sale > price)):
        errors.append(FieldError("sale_price_cents", "must be between zero and the price"))
    if data.get("availability") not in AVAILABILITIES:
        errors.append(FieldError("availability", f"choose from {', '.join(AVAILABILITIES)}"))
    if data.get("vat_class") not in _VAT_CLASSES:
        errors.append(FieldError("vat_class", f"choose from {', '.join(VatClass)}"))
    return errors


def _raise_if_invalid(data: dict[str, Any]) -> None:
    errors = validate(data)
    if errors:
        raise ValidationFailed(errors=errors)


@attrs.define(slots=False, eq=False, kw_only=True)
class Product:
    vendor_id: int
    platform_id: int
    sku: str
    gtin: str | None = None
    gtin_type: str | None = None
    titles: dict[str, str] = attrs.field(factory=dict)
    descriptions: dict[str, str] = attrs.field(factory=dict)
    price_cents: int
    sale_price_cents: int | None = None
    currency: str = "EUR"
    vat_class: str = VatClass.STANDARD
    availability: str = "in_stock"
    brand: str = ""
    image_links: list[str] = attrs.field(factory=list)
    status: str = ProductStatus.DRAFT
    # Content hash of the feed row it was last imported from, per language (unchanged rows skip).
    source_hashes: dict[str, str] = attrs.field(factory=dict)
    search_text: str = ""
    created_at: datetime
    updated_at: datetime
    id: int | None = None

    def __attrs_post_init__(self) -> None:
        _raise_if_invalid(attrs.asdict(self, recurse=False))
        self._derive()

    def _derive(self) -> None:
        for name, value in derived(self.sku, self.gtin, self.titles).items():
            setattr(self, name, value)

    @property
    def is_active(self) -> bool:
        return self.status == ProductStatus.ACTIVE

    def update(self, changes: dict[str, Any], now: datetime) -> None:
        """Apply field changes, all validated together: nothing changes when one is bad."""
        if self.status == ProductStatus.ARCHIVED:
            raise Conflict("an archived product cannot be changed: activate it first", field="status")
        _raise_if_invalid({**attrs.asdict(self, recurse=False), **changes})
        for name, value in changes.items():
            setattr(self, name, value)
        self._derive()
        self.updated_at = now

    def activate(self, now: datetime) -> None:
        if self.status == ProductStatus.ACTIVE:
            raise Conflict("the product is already active", field="status")
        self.status, self.updated_at = ProductStatus.ACTIVE, now

    def archive(self, now: datetime) -> None:
        if self.status == ProductStatus.ARCHIVED:
            raise Conflict("the product is already archived", field="status")
        self.status, self.updated_at = ProductStatus.ARCHIVED, now
