"""products keep vendor_id without a foreign key to tenancy_vendors (ADR 0012): the check cost
PostgreSQL about 3 µs of every product a feed import creates, more than the product's row itself

Revision ID: catalog_0002
Revises: catalog_0001
Create Date: 2026-12-07 15:40:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = 'catalog_0002'
down_revision: str | Sequence[str] | None = 'catalog_0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FOREIGN_KEY = 'fk_catalog_products_vendor_id_tenancy_vendors'


def upgrade() -> None:
    with op.batch_alter_table('catalog_products', schema=None) as batch_op:
        batch_op.drop_constraint(_FOREIGN_KEY, type_='foreignkey')


def downgrade() -> None:
    with op.batch_alter_table('catalog_products', schema=None) as batch_op:
        batch_op.create_foreign_key(_FOREIGN_KEY, 'tenancy_vendors', ['vendor_id'], ['id'])
