"""The synchronous calls other modules make of the catalog."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from contracts.catalog.dto import FeedProduct, FeedSyncResult


class CatalogFeed(Protocol):
    """Feeds in and out of a vendor's catalog (used by marketplace imports and exports)."""

    def sync_batch(self, platform_id: int, vendor_id: int, language: str, rows: list[FeedProduct], *,
                   create_missing: bool, active: int | None = None) -> FeedSyncResult:
        """Link each row to the vendor's product with the same GTIN, else the same SKU (= the
        row's id); update linked products whose row changed (by content hash, per language);
        create missing ones as active products when ``create_missing`` and the plan allows.
        One transaction; idempotent (a repeated batch changes nothing).

        ``active`` is the vendor's count of active products as the previous batch of the same
        import left it (its result's ``active``): a batch that creates products then does not
        count them all again, which would make an import quadratic in its size. None: counted."""
        ...

    def export(self, vendor_id: int, language: str) -> Iterator[FeedProduct]:
        """The vendor's active products in one language (those with a title in it), streamed."""
        ...
