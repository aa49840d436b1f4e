"""Feed exports: a vendor's active catalog products, and a platform's staged marketplace
listings, one tab-separated file per language in the format ``open_feed`` reads back (a round
trip gives the same products). Each file is written atomically: a download never sees half a file."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from uuid import UUID

import attrs

from application.marketplace.export_ports import ExportFiles, PlatformListings
from application.shared.tasks import TaskQueue
from contracts.catalog.dto import FeedProduct
from contracts.catalog.facade import CatalogFeed
from domain.marketplace.feed import ExportRow, write_feed
from domain.marketplace.model import LANGUAGES


def vendor_folder(vendor_id: int) -> str:
    return str(vendor_id)


def vendor_file(vendor_id: int, language: str) -> str:
    return f"{vendor_id}_letzshop_{language}.tsv"


def platform_folder(platform_id: int) -> str:
    return f"platform-{platform_id}"


def platform_file(language: str) -> str:
    return f"marketplace_{language}.tsv"


def enqueue_vendor_export(task_queue: TaskQueue, platform_id: int, vendor_id: int) -> UUID:
    """Queue the export of the vendor's active products; the task run's id."""
    return task_queue.enqueue("marketplace.export_vendor_products_to_folder", vendor=vendor_id,
                              platform_id=platform_id, vendor_id=vendor_id)


def enqueue_platform_export(task_queue: TaskQueue, platform_id: int) -> UUID:
    """Queue the export of the platform's staged listings; the task run's id."""
    return task_queue.enqueue("marketplace.export_marketplace_products", platform=platform_id,
                              platform_id=platform_id)


@attrs.frozen(slots=True)
class ProductRow:
    """A catalog product seen as a feed row (the ``ExportRow`` protocol): the SKU is the id, the
    first image the main one; what the catalog does not keep is empty, the condition is new."""

    external_id: str
    title: str
    description: str
    image_link: str
    additional_image_links: tuple[str, ...]
    availability: str
    price_cents: int
    sale_price_cents: int | None
    currency: str
    brand: str
    gtin: str | None
    link: str = ""
    mpn: str = ""
    condition: str = "new"
    category: str = ""
    product_type: str = ""
    item_group_id: str = ""

    @classmethod
    def of(cls, p: FeedProduct) -> ProductRow:
        images = p.image_links
        return cls(external_id=p.external_id, title=p.title, description=p.description,
                   image_link=images[0] if images else "", additional_image_links=tuple(images[1:]),
                   availability=p.availability, price_cents=p.price_cents, sale_price_cents=p.sale_price_cents,
                   currency=p.currency, brand=p.brand, gtin=p.gtin)


def _write_all(exports: ExportFiles, folder: str, files: Iterable[tuple[str, str, Callable[[], Iterable[ExportRow]]]]
               ) -> dict[str, int]:
    written: dict[str, int] = {}
    for language, name, rows in files:
        with exports.open_atomic(folder, name) as stream:
            written[language] = write_feed(rows(), stream)
    return written


def export_vendor_products(vendor_id: int, *, catalog: CatalogFeed, exports: ExportFiles,
                           languages: Iterable[str] = LANGUAGES) -> dict[str, int]:
    """Write ``<vendor_id>/<vendor_id>_letzshop_<lang>.tsv`` per language; rows written per language."""
    return _write_all(exports, vendor_folder(vendor_id), [
        (lang, vendor_file(vendor_id, lang), lambda lang=lang: map(ProductRow.of, catalog.export(vendor_id, lang)))
        for lang in languages
    ])


def export_platform_listings(platform_id: int, *, listings: PlatformListings, exports: ExportFiles,
                             languages: Iterable[str] = LANGUAGES) -> dict[str, int]:
    """Write ``platform-<id>/marketplace_<lang>.tsv`` per language from the staged listings; rows
    written per language."""
    return _write_all(exports, platform_folder(platform_id), [
        (lang, platform_file(lang), lambda lang=lang: listings.stream(platform_id, lang)) for lang in languages
    ])
