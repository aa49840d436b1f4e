"""The marketplace module: Letzshop product feed imports into staged listings and the catalog."""

from __future__ import annotations

from datetime import timedelta

from application.marketplace import tasks
from application.marketplace.config import MarketplaceConfig
from application.marketplace.use_cases.process_import import MAX_RETRIES
from application.shared.modules import OPTIONAL, MenuItem, ModuleDefinition, Queue, Schedule, TaskSpec

MODULE = ModuleDefinition(
    code="marketplace",
    name="Marketplace",
    description="Letzshop product feeds: import jobs, staged listings, sync into the catalog.",
    classification=OPTIONAL,
    requires=("catalog",),
    config=MarketplaceConfig,
    permissions=("marketplace.view", "marketplace.manage", "marketplace.imports.view"),
    vendor_permissions=("marketplace.view", "marketplace.manage"),
    menus=(
        MenuItem(area="vendor", key="marketplace-imports", path="/vendor/marketplace/imports", order=60,
                 label={"en": "Product imports", "fr": "Imports de produits", "de": "Produktimporte"},
                 permission="marketplace.view"),
        MenuItem(area="admin", key="marketplace-imports", path="/admin/marketplace/imports", order=70,
                 label={"en": "Feed imports", "fr": "Imports de flux", "de": "Feed-Importe"},
                 permission="marketplace.imports.view"),
    ),
    tasks=(
        TaskSpec("process_marketplace_import", tasks.process_marketplace_import, queue=Queue.LONG_RUNNING,
                 time_limit=timedelta(hours=2), max_retries=MAX_RETRIES),
        TaskSpec("resume_stalled_imports", tasks.resume_stalled_imports, queue=Queue.SCHEDULED,
                 time_limit=timedelta(minutes=5), max_retries=1),
        TaskSpec("export_vendor_products_to_folder", tasks.export_vendor_products_to_folder, queue=Queue.DEFAULT,
                 time_limit=timedelta(minutes=30)),
        TaskSpec("export_marketplace_products", tasks.export_marketplace_products, queue=Queue.DEFAULT,
                 time_limit=timedelta(minutes=30)),
    ),
    schedules=(Schedule("resume_stalled_imports", cron="*/10 * * * *"),),
)
