"""``wizamart catalog ...``: a vendor's products."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from application.catalog.use_cases.products import list_products
from contracts.catalog.dto import ProductFilter
from contracts.shared.pagination import PageRequest
from domain.shared.money import Money
from entrypoints.cli.commands.tenancy import PlatformOption, VendorOption, vendor_of
from entrypoints.cli.context import console, container

app = typer.Typer(help="Vendor products.", no_args_is_help=True)


@app.command("list")
def products_list(
    vendor: VendorOption,
    platform: PlatformOption,
    status: Annotated[str | None, typer.Option(help="draft, active or archived")] = None,
    q: Annotated[str | None, typer.Option(help="Text in the SKU, GTIN or a title")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200)] = 50,
) -> None:
    """A vendor's products (the first LIMIT; the total is shown)."""
    c = container()
    _, vid = vendor_of(c, platform, vendor)
    page = list_products(vid, ProductFilter(status=status, q=q), PageRequest(limit=limit),  # type: ignore[arg-type]
                         uow=c.unit_of_work("catalog", read_only=True))
    table = Table("id", "sku", "gtin", "title", "price", "status")
    for p in page.items:
        title = next(iter(p.titles.values()), "")
        table.add_row(str(p.id), p.sku, p.gtin or "-", title[:60], str(Money(p.price_cents, p.currency)), p.status)
    console.print(table)
    console.print(f"{len(page.items)} of {page.total}")
